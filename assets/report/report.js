// actorgraph report: draws the graph of the JSON data above with cytoscape.js and shows
// each edge's evidence on click. Every string from the data is written with textContent,
// never as markup. The page's state (counts, selection, errors) is kept in data-*
// attributes of #status, which the browser tests read.
(function () {
  'use strict';

  var el = function (id) { return document.getElementById(id); };
  var status = el('status');
  var errors = [];
  status.dataset.errors = '0';

  function reportError(message) {
    errors.push(String(message));
    var box = el('errors');
    box.hidden = false;
    box.textContent = errors.join('\n');
    status.dataset.errors = String(errors.length);
  }
  window.addEventListener('error', function (event) { reportError(event.message); });
  document.addEventListener('securitypolicyviolation', function (event) {
    reportError('blocked by the page\'s policy: ' + event.violatedDirective + ' ' + event.blockedURI);
  });
  var consoleError = console.error;
  console.error = function () {
    reportError(Array.prototype.join.call(arguments, ' '));
    consoleError.apply(console, arguments);
  };

  var started = performance.now();
  var data = JSON.parse(el('data').textContent);
  var nodes = data.nodes;
  // Left out of the data when empty, to keep a corpus's page small.
  nodes.forEach(function (n) { n.degree = n.degree || 0; n.country = n.country || ''; });
  var edges = data.edges;
  var kinds = {};
  data.kinds.forEach(function (k) { kinds[k.name] = k; });

  /** An element with its text (set as text, never parsed) and class. */
  function make(tag, text, className) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (className) e.className = className;
    return e;
  }

  /** A query folded as the command line folds names (the table comes from its code). */
  function fold(text) {
    var out = '';
    for (var c of text) {
      var f = data.fold[c];
      out += f === undefined ? c : f;
    }
    return out.split(' ').filter(Boolean).join(' ');
  }

  function number(n) { return n.toLocaleString('en'); }
  function plural(n, word) { return number(n) + ' ' + word + (n === 1 ? '' : 's'); }
  function penWidth(weight) { return Math.min(7, 1 + 1.5 * Math.log(Math.max(weight, 1))); }
  function kindName(kind) {
    var k = kinds[kind];
    if (data.labels === 'ar') return k.ar;
    if (data.labels === 'both') return k.name + ' · ' + k.ar;
    return k.name;
  }
  function nodeName(node) { return node.en || node.id; }

  var SHAPES = { PER: 'ellipse', ORG: 'round-rectangle', GPE: 'hexagon', LOC: 'hexagon', EVENT: 'cut-rectangle' };
  var ARROWS = { none: 'none', normal: 'triangle', tee: 'tee' };

  // The drawn graph: actors with an edge at the layout's positions, and every edge.
  var elements = [];
  nodes.forEach(function (node, i) {
    if (!node.at) return;
    elements.push({
      group: 'nodes',
      data: {
        id: 'n' + i, index: i, label: node.label, colour: node.colour,
        shape: SHAPES[node.type] || 'rectangle', known: node.known,
        size: 14 + 5 * Math.log(1 + node.degree)
      },
      position: { x: node.at[0], y: node.at[1] }
    });
  });
  edges.forEach(function (edge, i) {
    var kind = kinds[edge.kind];
    elements.push({
      group: 'edges',
      data: {
        id: 'e' + i, index: i, source: 'n' + edge.s, target: 'n' + edge.t,
        colour: kind.colour, arrow: ARROWS[kind.arrow] || 'none',
        line: kind.line === 'dashed' ? 'dashed' : 'solid',
        width: edge.width + (kind.line === 'bold' ? 1 : 0)
      }
    });
  });

  // A large graph draws its edges straight (bezier curves cost a second to lay out) and
  // labels its best-connected actors only until the view zooms in.
  var large = edges.length > 1500;
  var cy = cytoscape({
    container: el('graph'),
    minZoom: 0.02,
    maxZoom: 6,
    textureOnViewport: true,
    hideEdgesOnViewport: edges.length > 1500,
    boxSelectionEnabled: false,
    style: [
      { selector: 'node', style: {
        'shape': 'data(shape)', 'background-color': 'data(colour)',
        'width': 'data(size)', 'height': 'data(size)', 'border-width': 1.2, 'border-color': '#455a64',
        'font-size': 11, 'text-wrap': 'wrap', 'text-valign': 'bottom', 'text-margin-y': 3,
        'font-family': '"DejaVu Sans", "Noto Sans Arabic", Arial, Tahoma, sans-serif',
        'min-zoomed-font-size': 8, 'color': '#263238'
      } },
      { selector: 'node.labelled, node:selected, node.found', style: { 'label': 'data(label)' } },
      { selector: 'node[!known]', style: {
        'border-style': 'dashed', 'border-width': 2, 'border-color': '#78909c',
        'background-opacity': 0.55, 'font-style': 'italic', 'color': '#607d8b'
      } },
      { selector: 'edge', style: {
        'width': 'data(width)', 'line-color': 'data(colour)', 'target-arrow-color': 'data(colour)',
        'target-arrow-shape': 'data(arrow)', 'line-style': 'data(line)', 'curve-style': large ? 'straight' : 'bezier',
        'arrow-scale': 0.8, 'opacity': 0.75
      } },
      { selector: '.hidden', style: { 'display': 'none' } },
      { selector: '.faded', style: { 'opacity': 0.12 } },
      { selector: '.found', style: { 'border-width': 4, 'border-color': '#ff6f00' } },
      { selector: 'node:selected', style: { 'border-width': 4, 'border-color': '#d50000' } },
      { selector: 'edge:selected', style: { 'opacity': 1, 'underlay-color': '#ffd54f', 'underlay-opacity': 0.8, 'underlay-padding': 4 } }
    ]
  });

  // Added after the constructor, which would run a layout and measure every label.
  cy.add(elements);
  var LABELLED = 250;
  var byDegree = cy.nodes().sort(function (a, b) {
    return nodes[b.data('index')].degree - nodes[a.data('index')].degree;
  });
  byDegree.slice(0, LABELLED).addClass('labelled');
  var labelling = null;
  cy.on('viewport', function () {
    if (labelling || cy.nodes().length <= LABELLED) return;
    labelling = setTimeout(function () {
      labelling = null;
      if (cy.zoom() < 0.5) return;
      var box = cy.extent();
      cy.nodes(':visible').forEach(function (ele) {
        var p = ele.position();
        if (p.x >= box.x1 && p.x <= box.x2 && p.y >= box.y1 && p.y <= box.y2) ele.addClass('labelled');
      });
    }, 200);
  });

  /** Fits the view to the visible actors' positions, without measuring their labels. */
  function fitVisible() {
    var x1 = Infinity, y1 = Infinity, x2 = -Infinity, y2 = -Infinity;
    cy.nodes().forEach(function (ele) {
      if (ele.hasClass('hidden')) return;
      var p = ele.position();
      x1 = Math.min(x1, p.x); x2 = Math.max(x2, p.x);
      y1 = Math.min(y1, p.y); y2 = Math.max(y2, p.y);
    });
    if (x1 > x2) return;
    var width = cy.width(), height = cy.height();
    var zoom = Math.min(1.5, (width - 120) / (x2 - x1 + 1), (height - 100) / (y2 - y1 + 1));
    cy.viewport({ zoom: zoom, pan: { x: width / 2 - zoom * (x1 + x2) / 2, y: height / 2 - zoom * (y1 + y2) / 2 } });
  }
  fitVisible();

  var state = { month: 0, kinds: {}, minWeight: 1, country: '', star: null };
  data.kinds.forEach(function (k) { state.kinds[k.name] = true; });
  var selected = null;

  /** The weight an edge shows in the current month (its whole weight for all months). */
  function shownWeight(edge) {
    if (!state.month) return edge.weight;
    var wanted = state.month - 1;
    for (var i = 0; i < edge.months.length; i++) {
      if (edge.months[i][0] === wanted) return edge.months[i][1];
    }
    return 0;
  }

  function passes(edge) {
    var w = shownWeight(edge);
    if (w === 0 || !state.kinds[edge.kind] || w < state.minWeight) return false;
    if (state.country && nodes[edge.s].country !== state.country && nodes[edge.t].country !== state.country) return false;
    return true;
  }

  /** Shows the edges and actors the filters keep; counts them in #status. */
  function apply() {
    var keep = edges.map(passes);
    if (state.star !== null) {
      var near = {};
      near[state.star] = true;
      edges.forEach(function (e, i) {
        if (keep[i] && (e.s === state.star || e.t === state.star)) { near[e.s] = true; near[e.t] = true; }
      });
      keep = keep.map(function (k, i) { return k && near[edges[i].s] && near[edges[i].t]; });
    }
    var shownNodes = {};
    var edgeCount = 0;
    cy.batch(function () {
      cy.edges().forEach(function (ele) {
        var i = ele.data('index');
        var edge = edges[i];
        if (keep[i]) {
          edgeCount++;
          shownNodes[edge.s] = true;
          shownNodes[edge.t] = true;
          ele.removeClass('hidden');
          var kind = kinds[edge.kind];
          ele.data('width', penWidth(shownWeight(edge)) + (kind.line === 'bold' ? 1 : 0));
        } else {
          ele.addClass('hidden');
        }
      });
      cy.nodes().forEach(function (ele) {
        if (shownNodes[ele.data('index')]) ele.removeClass('hidden'); else ele.addClass('hidden');
      });
    });
    if (state.star !== null) placeStar();
    var nodeCount = Object.keys(shownNodes).length;
    status.dataset.edgesVisible = String(edgeCount);
    status.dataset.nodesVisible = String(nodeCount);
    status.textContent = plural(nodes.length, 'actor') + ' · ' + plural(edges.length, 'edge') +
      ' · showing ' + number(nodeCount) + ' and ' + number(edgeCount);
  }

  // The controls.
  var monthInput = el('month');
  monthInput.max = String(data.months.length);
  function monthChanged() {
    state.month = Number(monthInput.value);
    el('month-label').textContent = state.month ? data.months[state.month - 1] : 'all months';
    status.dataset.month = state.month ? data.months[state.month - 1] : '';
    apply();
  }
  monthInput.addEventListener('input', monthChanged);

  var playing = null;
  el('play').addEventListener('click', function () {
    if (playing) {
      clearInterval(playing);
      playing = null;
      el('play').textContent = '▶';
      return;
    }
    if (!data.months.length) return;
    el('play').textContent = '❚❚';
    if (Number(monthInput.value) >= data.months.length) monthInput.value = '0';
    playing = setInterval(function () {
      var next = Number(monthInput.value) + 1;
      if (next > data.months.length) {
        clearInterval(playing);
        playing = null;
        el('play').textContent = '▶';
        return;
      }
      monthInput.value = String(next);
      monthChanged();
    }, 1200);
  });

  data.kinds.forEach(function (k) {
    var label = make('label');
    label.title = k.name;
    var box = make('input');
    box.type = 'checkbox';
    box.checked = true;
    box.dataset.kind = k.name;
    box.addEventListener('change', function () { state.kinds[k.name] = box.checked; apply(); });
    var swatch = make('span', null, 'swatch');
    swatch.style.borderTopColor = k.colour;
    swatch.style.borderTopStyle = k.line === 'dashed' ? 'dashed' : 'solid';
    label.append(box, swatch, make('bdi', kindName(k.name)));
    el('kinds').append(label);
  });

  el('min-weight').addEventListener('input', function () {
    state.minWeight = Math.max(1, Number(el('min-weight').value) || 1);
    apply();
  });

  var countryNames = {};
  nodes.forEach(function (n) { if (n.type === 'GPE') countryNames[n.id] = n.en; });
  data.countries.forEach(function (c) { if (!countryNames[c.code]) countryNames[c.code] = c.label; });
  var drawnCountries = {};
  nodes.forEach(function (n) { if (n.at && n.country) drawnCountries[n.country] = true; });
  Object.keys(drawnCountries).sort(function (a, b) {
    return (countryNames[a] || a).localeCompare(countryNames[b] || b);
  }).forEach(function (code) {
    var option = make('option', (countryNames[code] || code) + ' (' + code + ')');
    option.value = code;
    el('country').append(option);
  });
  el('country').addEventListener('change', function () { state.country = el('country').value; apply(); });

  function setStar(index) {
    state.star = index;
    el('star').textContent = index === null ? 'star view' : 'whole graph';
    apply();
    if (index === null) {
      cy.nodes().forEach(function (ele) {
        var at = nodes[ele.data('index')].at;
        ele.position({ x: at[0], y: at[1] });
      });
      fitVisible();
    }
  }

  /** The star view's drawing: the actor in the middle, its neighbours on a circle wide
   * enough for their labels. */
  function placeStar() {
    cy.stop(true);
    var around = cy.nodes().filter(function (ele) {
      return !ele.hasClass('hidden') && ele.data('index') !== state.star;
    });
    around.addClass('labelled');
    var radius = Math.max(160, around.length * 70 / (2 * Math.PI));
    cy.getElementById('n' + state.star).position({ x: 0, y: 0 }).addClass('labelled');
    around.forEach(function (ele, k) {
      var angle = 2 * Math.PI * k / around.length - Math.PI / 2;
      ele.position({ x: radius * Math.cos(angle), y: radius * Math.sin(angle) });
    });
    fitVisible();
  }

  el('star').addEventListener('click', function () {
    if (state.star !== null) setStar(null);
    else if (selected && selected.type === 'node') setStar(selected.index);
  });
  el('reset').addEventListener('click', function () {
    monthInput.value = '0';
    el('min-weight').value = '1';
    el('country').value = '';
    state.minWeight = 1;
    state.country = '';
    el('kinds').querySelectorAll('input').forEach(function (box) { box.checked = true; state.kinds[box.dataset.kind] = true; });
    cy.elements().unselect();
    if (state.star !== null) setStar(null);
    monthChanged();
    fitVisible();
  });

  // The legend: kinds, shapes, the unknown actors' mark, country colours.
  (function legend() {
    var box = el('legend');
    var row = make('div', null, 'row');
    data.kinds.forEach(function (k) {
      var chip = make('span', null, 'chip');
      var line = make('span', null, 'swatch');
      line.style.cssText = 'display:inline-block;width:22px;border-top:3px ' + (k.line === 'dashed' ? 'dashed' : 'solid');
      line.style.borderTopColor = k.colour;
      chip.append(line, make('bdi', kindName(k.name)), k.arrow === 'normal' ? ' →' : k.arrow === 'tee' ? ' ⊣' : '');
      row.append(chip);
    });
    box.append(row);
    box.append(make('div', 'circle: person · rounded box: organisation · hexagon: country or place · dashed, faint: unknown actor (not in the gazetteers)', 'row'));
    var colours = make('div', null, 'row');
    data.countries.forEach(function (c) {
      var chip = make('span', null, 'chip');
      var swatch = make('span', null, 'box');
      swatch.style.background = c.colour;
      chip.append(swatch, make('span', countryNames[c.code] || c.label));
      colours.append(chip);
    });
    var other = make('span', null, 'chip');
    var otherBox = make('span', null, 'box');
    otherBox.style.background = data.other_colour;
    other.append(otherBox, make('span', 'other or none'));
    colours.append(other);
    box.append(colours);
  })();

  // The selection panel.
  var panel = el('selection');

  function heading(node) {
    var h = make('h2');
    h.append(make('bdi', nodeName(node)));
    if (node.ar && node.ar !== node.en) {
      h.append(' · ');
      var ar = make('bdi', node.ar, 'ar');
      ar.dir = 'rtl';
      ar.lang = 'ar';
      h.append(ar);
    }
    return h;
  }

  function definitions(rows) {
    var dl = make('dl');
    rows.forEach(function (row) {
      if (row[1] === undefined || row[1] === null || row[1] === '') return;
      dl.append(make('dt', row[0]), make('dd', row[1]));
    });
    return dl;
  }

  function showNode(index) {
    var node = nodes[index];
    selected = { type: 'node', index: index };
    status.dataset.selected = 'node:' + node.id;
    el('star').disabled = false;
    panel.replaceChildren();
    panel.append(heading(node));
    var country = node.country ? (countryNames[node.country] || node.country) + ' (' + node.country + ')' : 'none';
    panel.append(definitions([
      ['id', node.id],
      ['type', node.type || 'unknown'],
      ['country', country],
      ['mentions', number(node.mentions)],
      ['edges', number(node.degree)],
      ['actor', node.known ? 'in the gazetteers' : 'unknown: a name the tagger found that no gazetteer lists'],
      ['roles', (node.roles || []).join('; ')],
      ['also', (node.aliases || []).join(' · ')]
    ]));
    var list = make('ul', null, 'edge-list');
    edges.forEach(function (edge, i) {
      if (edge.s !== index && edge.t !== index) return;
      var other = nodes[edge.s === index ? edge.t : edge.s];
      var symmetric = kinds[edge.kind].arrow === 'none';
      var arrow = symmetric ? '—' : edge.s === index ? '→' : '←';
      var item = make('li');
      var button = make('button');
      button.type = 'button';
      button.append(make('bdi', kindName(edge.kind)), ' ' + arrow + ' ', make('bdi', nodeName(other)), ' ×' + edge.weight);
      button.addEventListener('click', function () {
        selectEdge(i);
        var ele = cy.getElementById('e' + i);
        if (ele.visible()) cy.animate({ center: { eles: ele }, duration: 250 });
      });
      item.append(button);
      list.append(item);
    });
    if (list.childElementCount) {
      panel.append(make('h2', plural(list.childElementCount, 'edge')), list);
    }
  }

  function showEdge(index) {
    var edge = edges[index];
    var source = nodes[edge.s];
    var target = nodes[edge.t];
    selected = { type: 'edge', index: index };
    status.dataset.selected = 'edge:' + source.id + '|' + target.id + '|' + edge.kind;
    el('star').disabled = true;
    panel.replaceChildren();
    var h = make('h2');
    var symmetric = kinds[edge.kind].arrow === 'none';
    h.append(make('bdi', nodeName(source)), ' ' + (symmetric ? '—' : '→') + ' ', make('bdi', kindName(edge.kind)), ' ' + (symmetric ? '—' : '→') + ' ', make('bdi', nodeName(target)));
    panel.append(h);
    var dates = edge.first && edge.last && edge.first !== edge.last ? edge.first + ' to ' + edge.last : (edge.first || 'undated');
    panel.append(definitions([
      ['weight', number(edge.weight) + (state.month ? ' (' + number(shownWeight(edge)) + ' in ' + data.months[state.month - 1] + ')' : '')],
      ['dates', dates],
      ['articles', number(edge.articles)],
      ['evidence', edge.evidence.length < edge.total ? 'the first ' + edge.evidence.length + ' of ' + plural(edge.total, 'relation') : plural(edge.total, 'relation')]
    ]));
    var legend = make('p', null, 'meta');
    legend.append(make('span', nodeName(source), 'mark-source'), ' ', make('span', nodeName(target), 'mark-target'), ' ', make('span', 'trigger', 'mark-trigger'));
    panel.append(legend);
    edge.evidence.forEach(function (ev) {
      var box = make('div', null, 'evidence');
      var meta = make('div', null, 'meta');
      meta.append(make('bdi', ev.article), ' · ' + (ev.date || 'undated') + ' · rule ', make('bdi', ev.rule) );
      if (ev.field !== 'text') meta.append(' · in the ' + ev.field);
      if (ev.negated) meta.append(' ', make('span', 'NEGATED', 'flag'));
      if (ev.hedged) meta.append(' ', make('span', 'HEDGED', 'flag'));
      if (ev.negated || ev.hedged) meta.append(' (not a fact: draws no edge)');
      box.append(meta);
      var sentence = make('p', null, 'sentence');
      sentence.dir = 'auto';
      var CLASSES = ['', 'mark-source', 'mark-target', 'mark-trigger'];
      ev.parts.forEach(function (part) {
        if (part[1] === 0) sentence.append(part[0]);
        else sentence.append(make('span', part[0], CLASSES[part[1]]));
      });
      box.append(sentence);
      (ev.earlier || []).forEach(function (side) {
        var who = side.side === 'source' ? source : target;
        var note = make('div', null, 'meta');
        note.append('the ' + side.side + ', ', make('bdi', nodeName(who)), ', is named in an earlier sentence' +
          (side.text ? ' as «' : ''));
        if (side.text) note.append(make('bdi', side.text), '»');
        note.append(' (' + ev.field + ' ' + side.start + '–' + side.end + ')');
        box.append(note);
      });
      panel.append(box);
    });
  }

  function selectEdge(index) {
    var ele = cy.getElementById('e' + index);
    cy.elements().unselect();
    ele.select();
    showEdge(index);
  }

  function selectNode(index) {
    var ele = cy.getElementById('n' + index);
    cy.elements().unselect();
    if (ele.nonempty()) {
      ele.select();
      if (ele.visible()) cy.animate({ center: { eles: ele }, duration: 250 });
    }
    showNode(index);
  }

  cy.on('tap', 'edge', function (event) { selectEdge(event.target.data('index')); });
  cy.on('tap', 'node', function (event) { selectNode(event.target.data('index')); });

  // Search: every actor, drawn or not, by any of its names, folded.
  var results = el('results');
  el('search').addEventListener('input', function () {
    var query = fold(el('search').value);
    cy.nodes('.found').removeClass('found');
    results.replaceChildren();
    if (!query) { results.hidden = true; return; }
    var found = [];
    for (var i = 0; i < nodes.length; i++) {
      if (nodes[i].key.indexOf(query) !== -1) found.push(i);
    }
    found.sort(function (a, b) { return nodes[b].degree - nodes[a].degree || nodes[b].mentions - nodes[a].mentions; });
    found.slice(0, 30).forEach(function (i) {
      var node = nodes[i];
      var item = make('li');
      var button = make('button');
      button.type = 'button';
      button.append(make('bdi', nodeName(node)));
      if (node.ar && node.ar !== node.en) button.append(' · ', make('bdi', node.ar));
      button.append(' (' + plural(node.degree, 'edge') + ')');
      button.addEventListener('click', function () { results.hidden = true; selectNode(i); });
      item.append(button);
      results.append(item);
      cy.getElementById('n' + i).addClass('found');
    });
    status.dataset.found = String(found.length);
    results.hidden = found.length === 0;
  });

  // Export of the current view.
  function download(name, href) {
    var a = make('a');
    a.href = href;
    a.download = name;
    document.body.append(a);
    a.click();
    a.remove();
  }
  el('export-png').addEventListener('click', function () {
    download('actorgraph.png', cy.png({ full: false, scale: 2, bg: '#ffffff' }));
  });
  el('export-svg').addEventListener('click', function () {
    download('actorgraph.svg', URL.createObjectURL(new Blob([svgOfView()], { type: 'image/svg+xml' })));
  });

  /** The visible part of the graph as SVG: straight edges, the node shapes, labels. */
  function svgOfView() {
    var NS = 'http' + '://www.w3.org/2000/svg';
    var box = cy.extent();
    var svg = document.createElementNS(NS, 'svg');
    svg.setAttribute('xmlns', NS);
    svg.setAttribute('viewBox', [box.x1, box.y1, box.w, box.h].join(' '));
    svg.setAttribute('font-family', 'DejaVu Sans, Noto Sans Arabic, sans-serif');
    function add(parent, tag, attributes) {
      var e = document.createElementNS(NS, tag);
      Object.keys(attributes).forEach(function (k) { e.setAttribute(k, attributes[k]); });
      parent.append(e);
      return e;
    }
    add(svg, 'rect', { x: box.x1, y: box.y1, width: box.w, height: box.h, fill: '#ffffff' });
    cy.edges(':visible').forEach(function (ele) {
      var s = ele.source().position();
      var t = ele.target().position();
      var line = add(svg, 'line', { x1: s.x, y1: s.y, x2: t.x, y2: t.y, stroke: ele.data('colour'),
        'stroke-width': ele.data('width'), 'stroke-opacity': 0.75 });
      if (ele.data('line') === 'dashed') line.setAttribute('stroke-dasharray', '6 4');
      var tip = add(svg, 'title', {});
      tip.textContent = nodeName(nodes[edges[ele.data('index')].s]) + ' ' + edges[ele.data('index')].kind + ' ' + nodeName(nodes[edges[ele.data('index')].t]);
    });
    cy.nodes(':visible').forEach(function (ele) {
      var p = ele.position();
      var r = ele.data('size') / 2;
      var shape = ele.data('shape');
      var common = { fill: ele.data('colour'), stroke: '#455a64', 'stroke-width': 1.2 };
      var figure;
      if (shape === 'ellipse') {
        figure = add(svg, 'circle', Object.assign({ cx: p.x, cy: p.y, r: r }, common));
      } else if (shape === 'hexagon') {
        var points = [];
        for (var k = 0; k < 6; k++) {
          var a = Math.PI / 3 * k;
          points.push((p.x + r * Math.cos(a)) + ',' + (p.y + r * Math.sin(a)));
        }
        figure = add(svg, 'polygon', Object.assign({ points: points.join(' ') }, common));
      } else {
        figure = add(svg, 'rect', Object.assign({ x: p.x - r, y: p.y - r, width: 2 * r, height: 2 * r, rx: shape === 'round-rectangle' ? r / 3 : 0 }, common));
      }
      if (!ele.data('known')) figure.setAttribute('stroke-dasharray', '3 2');
      ele.data('label').split('\n').forEach(function (text, line) {
        var label = add(svg, 'text', { x: p.x, y: p.y + r + 12 + 13 * line, 'font-size': 11, 'text-anchor': 'middle' });
        label.textContent = text;
      });
    });
    return new XMLSerializer().serializeToString(svg);
  }

  // A link may say what to show: #month=YYYY-MM, #node=ID, #edge=SOURCE,TARGET,KIND,
  // #search=TEXT, #star=ID (parts separated by &, values URI-encoded). The page acts as
  // if the user had done it, through the same controls.
  function nodeIndex(id) {
    for (var i = 0; i < nodes.length; i++) if (nodes[i].id === id) return i;
    return -1;
  }
  function followLink() {
    var hash = location.hash.replace(/^#/, '');
    if (!hash) return;
    hash.split('&').forEach(function (pair) {
      var at = pair.indexOf('=');
      var key = at < 0 ? pair : pair.slice(0, at);
      var value = at < 0 ? '' : pair.slice(at + 1);
      if (key === 'month') {
        var m = data.months.indexOf(decodeURIComponent(value));
        monthInput.value = String(m + 1);
        monthInput.dispatchEvent(new Event('input'));
        fitVisible();
      } else if (key === 'node' || key === 'star') {
        var n = nodeIndex(decodeURIComponent(value));
        if (n < 0) { reportError('no actor ' + decodeURIComponent(value)); return; }
        var ele = cy.getElementById('n' + n);
        if (ele.nonempty()) ele.emit('tap'); else selectNode(n);
        if (key === 'star') el('star').click();
      } else if (key === 'edge') {
        var parts = value.split(',').map(decodeURIComponent);
        var s = nodeIndex(parts[0]);
        var t = nodeIndex(parts[1]);
        var found = -1;
        edges.forEach(function (e, i) {
          if (e.kind === parts[2] && ((e.s === s && e.t === t) || (e.s === t && e.t === s))) found = i;
        });
        if (found < 0) { reportError('no edge ' + parts.join(' ')); return; }
        cy.getElementById('e' + found).emit('tap');
      } else if (key === 'search') {
        el('search').value = decodeURIComponent(value);
        el('search').dispatchEvent(new Event('input'));
      }
    });
  }

  document.title = 'actorgraph' + (data.caption ? ' · ' + data.caption : '');
  var range = data.date_range ? (data.date_range[0] === data.date_range[1] ? data.date_range[0] : data.date_range[0] + ' to ' + data.date_range[1]) : '';
  el('caption').textContent = [range, data.caption].filter(Boolean).join(' · ');
  status.dataset.nodesTotal = String(nodes.length);
  status.dataset.edgesTotal = String(edges.length);
  status.dataset.nodesDrawn = String(cy.nodes().length);
  status.dataset.months = String(data.months.length);
  // The controls made above may have wrapped onto another line: the graph's box is final
  // only now.
  cy.resize();
  fitVisible();
  monthChanged();
  followLink();
  window.addEventListener('hashchange', followLink);
  // A window that changes size (a headless browser's does once, before its screenshot)
  // gets the graph fitted again.
  var resizing = null;
  window.addEventListener('resize', function () {
    clearTimeout(resizing);
    resizing = setTimeout(function () { cy.resize(); fitVisible(); }, 100);
  });

  // Ready once the script is through: every control answers from then on. When the first
  // frame is drawn, the time since the page was opened is noted too.
  status.dataset.scriptMs = String(Math.round(performance.now() - started));
  status.dataset.ready = 'true';
  cy.one('render', function () {
    requestAnimationFrame(function () {
      status.dataset.drawnMs = String(Math.round(performance.now()));
    });
  });
})();
