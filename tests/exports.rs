//! End-to-end tests of the exports analysts open: Graphviz (rendered with the real
//! `dot`), CSV for spreadsheets, GraphML and GEXF (parsed, and read by networkx where
//! Python has it), the filters of `graph` and `extract`, and `explain`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod common;
use common::{fixture, run_ok};

fn actorgraph(args: &[&str]) -> Output {
    common::run_with_stdin(args, None)
}

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// Extracts the 28 articles of the regression set (Libya and diplomacy, 2018) into
/// `dir` and returns the records file.
fn extract_gold(dir: &Path) -> PathBuf {
    let out = dir.join("gold");
    run_ok(&[
        "extract",
        s(&fixture("gold/libya.jsonl")),
        s(&fixture("gold/diplomacy.jsonl")),
        "-o",
        s(&out),
    ]);
    out.join("articles.jsonl")
}

/// `actorgraph graph RECORDS -o dir/name EXTRA...`; returns the output folder.
fn graph(dir: &Path, name: &str, records: &[&Path], extra: &[&str]) -> PathBuf {
    let out = dir.join(name);
    let mut args = vec!["graph"];
    args.extend(records.iter().map(|p| s(p)));
    args.extend(["-o", s(&out)]);
    args.extend(extra);
    run_ok(&args);
    out
}

/// Reads a CSV table (skipping a byte-order mark) as maps from column to value.
fn table(path: &Path) -> Vec<BTreeMap<String, String>> {
    let bytes = std::fs::read(path).unwrap();
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&bytes);
    let mut reader = csv::Reader::from_reader(bytes);
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    reader
        .records()
        .map(|r| {
            header
                .iter()
                .cloned()
                .zip(r.unwrap().iter().map(String::from))
                .collect()
        })
        .collect()
}

fn edges(dir: &Path) -> Vec<BTreeMap<String, String>> {
    table(&dir.join("edges.csv"))
}

fn node_ids(dir: &Path) -> BTreeSet<String> {
    table(&dir.join("nodes.csv"))
        .into_iter()
        .map(|n| n["Id"].clone())
        .collect()
}

fn edge_keys(dir: &Path) -> BTreeSet<(String, String, String)> {
    edges(dir)
        .into_iter()
        .map(|e| (e["Source"].clone(), e["Target"].clone(), e["kind"].clone()))
        .collect()
}

/// Renders `dot` to SVG and PNG with Graphviz, failing on any error or warning; None when
/// Graphviz is missing (the test skips loudly, see common::external_tool).
fn render(dot: &Path) -> Option<String> {
    let mut svg = String::new();
    for format in ["-Tsvg", "-Tpng"] {
        let output = common::external_tool("dot", "graphviz")?
            .arg(format)
            .arg(dot)
            .output()
            .unwrap();
        assert!(
            output.status.success() && output.stderr.is_empty(),
            "dot {format} {}: {}",
            dot.display(),
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(!output.stdout.is_empty());
        if format == "-Tsvg" {
            svg = String::from_utf8(output.stdout).unwrap();
        }
    }
    Some(svg)
}

#[test]
fn every_graph_file_is_written_and_the_dot_renders_in_each_language() {
    let dir = tempfile::tempdir().unwrap();
    let records = extract_gold(dir.path());
    let gold = records.parent().unwrap();
    for name in actorgraph::output::GRAPH_FILES {
        assert!(gold.join(name).is_file(), "{name}");
    }
    // (Graphviz writes `-` as `&#45;` in SVG.)
    let (en, ar) = ("Fayez al&#45;Sarraj</text>", "فائز السراج</text>");
    for (labels, present, absent) in [
        ("en", vec![en], vec![ar]),
        ("ar", vec![ar], vec![en]),
        ("both", vec![en, ar], vec![]),
    ] {
        let out = graph(dir.path(), labels, &[&records], &["--labels", labels]);
        let Some(svg) = render(&out.join("graph.dot")) else {
            continue;
        };
        for text in present {
            assert!(svg.contains(text), "--labels {labels}: {text}");
        }
        for text in absent {
            assert!(!svg.contains(text), "--labels {labels}: {text}");
        }
        if labels == "ar" {
            // Arabic edge labels, with the count isolated left to right.
            assert!(svg.contains("تحالف \u{2066}×2\u{2069}"), "{svg}");
        }
    }
    // Shapes by type, colours by kind, pen width by weight, evidence as tooltip.
    let dot = std::fs::read_to_string(gold.join("graph.dot")).unwrap();
    let line = |needle: &str| {
        dot.lines()
            .find(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("no line with {needle} in\n{dot}"))
            .to_string()
    };
    assert!(line("\"sarraj\" [").contains("shape=ellipse"));
    assert!(line("\"gna\" [").contains("shape=box"));
    assert!(line("\"LY\" [").contains("shape=hexagon"));
    let allied = line("\"LY\" -> \"NE\" [label=\"allied ×2\"");
    assert!(allied.contains("color=\"#1565c0\"") && allied.contains("arrowhead=none"));
    assert!(allied.contains("penwidth=2.04"), "{allied}");
    let opposes = line("\"IL\" -> \"IR\"");
    assert!(opposes.contains("color=\"#c62828\"") && opposes.contains("arrowhead=tee"));
    let supports = line("\"US\" -> \"gna\"");
    assert!(supports.contains("label=\"supports ×1\"") && supports.contains("penwidth=1.00"));
    assert!(supports.contains("tooltip=\"supports ×1 · 2018-04-04 · 1 article\\n"));
    assert!(dot.contains("fontname=\"DejaVu Sans,Noto Sans Arabic"));
    // The same fill for actors of one country.
    let fill = |id: &str| {
        let l = line(&format!("\"{id}\" ["));
        l.split("fillcolor=\"").nth(1).unwrap()[..7].to_string()
    };
    assert_eq!(fill("sarraj"), fill("LY"));
    assert_ne!(fill("LY"), fill("TD"));
}

#[test]
fn numbers_in_arabic_labels_are_isolated_from_reordering() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("jmc.txt");
    std::fs::write(
        &input,
        "استقبل فائز السراج اللجنة العسكرية المشتركة 5+5 في طرابلس يوم 2020-10-23.",
    )
    .unwrap();
    let out = dir.path().join("out");
    run_ok(&["extract", s(&input), "-o", s(&out), "--labels", "ar"]);
    let dot = std::fs::read_to_string(out.join("graph.dot")).unwrap();
    assert!(
        dot.contains("اللجنة العسكرية المشتركة \u{2066}5+5\u{2069}"),
        "{dot}"
    );
    assert!(dot.contains("لقاء \u{2066}×1\u{2069}"), "{dot}");
    // The tooltip's evidence sentence: its date stays one left-to-right run.
    assert!(dot.contains("\u{2066}2020-10-23\u{2069}"), "{dot}");
    render(&out.join("graph.dot"));
}

#[test]
fn date_filters_keep_the_articles_in_range() {
    let dir = tempfile::tempdir().unwrap();
    let records = extract_gold(dir.path());
    let all = edges(records.parent().unwrap());
    let july = graph(
        dir.path(),
        "july",
        &[&records],
        &["--since", "2018-07", "--until", "2018-07"],
    );
    let kept = edges(&july);
    assert!(!kept.is_empty() && kept.len() < all.len());
    for edge in &kept {
        assert!(edge["first_date"].as_str() >= "2018-07-01", "{edge:?}");
        assert!(edge["last_date"].as_str() <= "2018-07-31", "{edge:?}");
    }
    // An edge seen in April and October keeps only its October evidence.
    let october = graph(
        dir.path(),
        "october",
        &[&records],
        &["--since", "2018-10-01"],
    );
    let ly_ne = edges(&october)
        .into_iter()
        .find(|e| e["Source"] == "LY" && e["Target"] == "NE" && e["kind"] == "allied")
        .unwrap();
    assert_eq!(
        (ly_ne["Weight"].as_str(), ly_ne["first_date"].as_str()),
        ("1", "2018-10-19")
    );
    for edge in table(&october.join("relations.csv")) {
        assert!(edge["date"].as_str() >= "2018-10-01");
    }
    let Some(svg) = render(&july.join("graph.dot")) else {
        return;
    };
    assert!(
        svg.contains(">2018&#45;07</text>"),
        "the caption names the range: {svg}"
    );
}

#[test]
fn kind_and_weight_filters_change_what_is_drawn() {
    let dir = tempfile::tempdir().unwrap();
    let records = extract_gold(dir.path());
    let whole = records.parent().unwrap();
    let kinds = graph(
        dir.path(),
        "kinds",
        &[&records],
        &["--kinds", "supports,opposes"],
    );
    let expected: BTreeSet<_> = edge_keys(whole)
        .into_iter()
        .filter(|k| k.2 == "supports" || k.2 == "opposes")
        .collect();
    assert_eq!(edge_keys(&kinds), expected);
    // Only actors with a remaining edge are listed, and only their relations.
    let ends: BTreeSet<String> = expected
        .iter()
        .flat_map(|k| [k.0.clone(), k.1.clone()])
        .collect();
    assert_eq!(node_ids(&kinds), ends);
    for row in table(&kinds.join("relations.csv")) {
        assert!(
            row["kind"] == "supports" || row["kind"] == "opposes",
            "{row:?}"
        );
    }
    let dot_all = std::fs::read_to_string(whole.join("graph.dot")).unwrap();
    let dot_kinds = std::fs::read_to_string(kinds.join("graph.dot")).unwrap();
    assert!(dot_all.contains("meets ×") && !dot_kinds.contains("meets ×"));
    render(&kinds.join("graph.dot"));

    let heavy = graph(dir.path(), "heavy", &[&records], &["--min-weight", "2"]);
    let heavy_edges = edges(&heavy);
    assert!(!heavy_edges.is_empty());
    assert!(
        heavy_edges
            .iter()
            .all(|e| e["Weight"].parse::<u64>().unwrap() >= 2)
    );
    assert_eq!(
        heavy_edges.len(),
        edges(whole)
            .iter()
            .filter(|e| e["Weight"].parse::<u64>().unwrap() >= 2)
            .count()
    );
}

#[test]
fn top_keeps_the_actors_with_most_edges() {
    let dir = tempfile::tempdir().unwrap();
    let records = extract_gold(dir.path());
    let top = graph(dir.path(), "top", &[&records], &["--top", "3"]);
    // LY has 7 edges; NE, SD and TD 6 each with the same weight: ties go by id.
    assert_eq!(
        node_ids(&top),
        ["LY", "NE", "SD"].map(String::from).into_iter().collect()
    );
    for edge in edges(&top) {
        assert!(
            ["LY", "NE", "SD"].contains(&edge["Source"].as_str())
                && ["LY", "NE", "SD"].contains(&edge["Target"].as_str())
        );
    }
    let degrees: Vec<String> = table(&top.join("nodes.csv"))
        .into_iter()
        .map(|n| n["degree"].clone())
        .collect();
    assert_eq!(degrees, ["4", "4", "4"], "degrees count the edges drawn");
}

#[test]
fn around_draws_an_ego_network_named_by_id_english_or_arabic() {
    let dir = tempfile::tempdir().unwrap();
    let records = extract_gold(dir.path());
    let by_id = graph(dir.path(), "id", &[&records], &["--around", "LY"]);
    let by_english = graph(dir.path(), "en", &[&records], &["--around", "libya"]);
    let by_arabic = graph(dir.path(), "ar", &[&records], &["--around", "ليبيا"]);
    let expected: BTreeSet<String> = ["LY", "NE", "SD", "TD", "eu"]
        .map(String::from)
        .into_iter()
        .collect();
    assert_eq!(node_ids(&by_id), expected);
    for dir in [&by_english, &by_arabic] {
        assert_eq!(edge_keys(dir), edge_keys(&by_id));
    }
    // Depth 1 keeps the edges among the neighbours too (Niger–Sudan), not beyond.
    assert!(edge_keys(&by_id).contains(&("NE".into(), "SD".into(), "allied".into())));
    if let Some(svg) = render(&by_id.join("graph.dot")) {
        assert!(
            svg.contains(">around Libya (1 step)</text>"),
            "the caption names the filter: {svg}"
        );
    }

    let two = graph(
        dir.path(),
        "two",
        &[&records],
        &["--around", "haftar", "--depth", "2"],
    );
    let haftar_egypt_and_beyond: BTreeSet<String> = ["haftar", "EG", "DZ", "TN"]
        .map(String::from)
        .into_iter()
        .collect();
    assert_eq!(
        node_ids(&two),
        haftar_egypt_and_beyond,
        "Haftar → Egypt → its neighbours"
    );
    let one = graph(dir.path(), "one", &[&records], &["--around", "haftar"]);
    assert_eq!(node_ids(&one).len(), 2);
}

#[test]
fn country_keeps_relations_with_a_side_from_it() {
    let dir = tempfile::tempdir().unwrap();
    let records = extract_gold(dir.path());
    let whole = records.parent().unwrap();
    let country: BTreeMap<String, String> = table(&whole.join("nodes.csv"))
        .into_iter()
        .map(|n| {
            let key = if n["type"] == "GPE" {
                n["Id"].clone()
            } else {
                n["country"].clone()
            };
            (n["Id"].clone(), key)
        })
        .collect();
    let libya = graph(dir.path(), "ly", &[&records], &["--country", "ly"]);
    let expected: BTreeSet<_> = edge_keys(whole)
        .into_iter()
        .filter(|k| country[&k.0] == "LY" || country[&k.1] == "LY")
        .collect();
    assert!(expected.len() >= 8);
    assert_eq!(edge_keys(&libya), expected);
    render(&libya.join("graph.dot"));
}

#[test]
fn bad_filters_stop_with_status_2() {
    let dir = tempfile::tempdir().unwrap();
    let records = extract_gold(dir.path());
    for (args, message) in [
        (
            vec!["--kinds", "friends"],
            "meets, supports, allied or opposes",
        ),
        (vec!["--around", "nobody at all"], "no such entity"),
        (vec!["--depth", "2"], "--around"),
        (vec!["--since", "18-06"], "YYYY-MM-DD"),
        (vec!["--top", "0"], "--top"),
        (vec!["--country", "XX"], "not a country id"),
        (vec!["--labels", "fr"], "--labels"),
    ] {
        let out = dir.path().join("bad");
        let mut all = vec!["graph", s(&records), "-o", s(&out)];
        all.extend(&args);
        let output = actorgraph(&all);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(message), "{args:?}: {stderr}");
        assert!(!out.exists(), "{args:?} wrote outputs");
    }
    // extract checks --around before reading any article.
    let output = actorgraph(&[
        "extract",
        s(&fixture("seed-article.jsonl")),
        "-o",
        s(&dir.path().join("bad")),
        "--around",
        "nobody at all",
    ]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn extract_takes_the_same_filters_as_graph() {
    let dir = tempfile::tempdir().unwrap();
    let records = extract_gold(dir.path());
    let filters = [
        "--kinds",
        "allied,meets",
        "--around",
        "TD",
        "--labels",
        "en",
    ];
    let via_graph = graph(dir.path(), "via-graph", &[&records], &filters);
    let via_extract = dir.path().join("via-extract");
    let (libya, diplomacy) = (fixture("gold/libya.jsonl"), fixture("gold/diplomacy.jsonl"));
    let mut args = vec!["extract", s(&libya), s(&diplomacy), "-o", s(&via_extract)];
    args.extend(filters);
    run_ok(&args);
    for name in actorgraph::output::GRAPH_FILES {
        assert_eq!(
            std::fs::read_to_string(via_graph.join(name)).unwrap(),
            std::fs::read_to_string(via_extract.join(name)).unwrap(),
            "{name}"
        );
    }
    // The records themselves stay whole, so that `graph` can slice them again.
    assert_eq!(
        std::fs::read(records).unwrap(),
        std::fs::read(via_extract.join("articles.jsonl")).unwrap()
    );
}

#[test]
fn merging_records_does_not_depend_on_their_order() {
    let dir = tempfile::tempdir().unwrap();
    let mut parts = Vec::new();
    for name in ["libya", "diplomacy"] {
        let out = dir.path().join(name);
        run_ok(&[
            "extract",
            s(&fixture(&format!("gold/{name}.jsonl"))),
            "-o",
            s(&out),
        ]);
        parts.push(out.join("articles.jsonl"));
    }
    let ab = graph(dir.path(), "ab", &[&parts[0], &parts[1]], &[]);
    let ba = graph(dir.path(), "ba", &[&parts[1], &parts[0]], &[]);
    for name in actorgraph::output::GRAPH_FILES {
        assert_eq!(
            std::fs::read(ab.join(name)).unwrap(),
            std::fs::read(ba.join(name)).unwrap(),
            "{name}"
        );
    }
    let ab = graph(
        dir.path(),
        "ab-top",
        &[&parts[0], &parts[1]],
        &["--top", "5"],
    );
    let ba = graph(
        dir.path(),
        "ba-top",
        &[&parts[1], &parts[0]],
        &["--top", "5"],
    );
    assert_eq!(
        std::fs::read(ab.join("graph.gexf")).unwrap(),
        std::fs::read(ba.join("graph.gexf")).unwrap()
    );
}

#[test]
fn graph_writes_the_same_relations_table_as_extract() {
    let dir = tempfile::tempdir().unwrap();
    let records = extract_gold(dir.path());
    let rebuilt = graph(dir.path(), "rebuilt", &[&records], &[]);
    assert_eq!(
        std::fs::read(records.parent().unwrap().join("relations.csv")).unwrap(),
        std::fs::read(rebuilt.join("relations.csv")).unwrap()
    );
}

#[test]
fn excel_tables_have_a_byte_order_mark_and_crlf() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("excel");
    run_ok(&[
        "extract",
        s(&fixture("seed-article.jsonl")),
        "-o",
        s(&out),
        "--excel",
    ]);
    for name in ["mentions.csv", "relations.csv", "nodes.csv", "edges.csv"] {
        let bytes = std::fs::read(out.join(name)).unwrap();
        assert!(bytes.starts_with(b"\xef\xbb\xbf"), "{name}");
        let text = std::str::from_utf8(&bytes[3..]).unwrap();
        assert!(text.ends_with("\r\n"), "{name}");
        assert_eq!(
            text.matches('\n').count(),
            text.matches("\r\n").count(),
            "{name}: every line ends in CRLF"
        );
    }
    // A reader that handles the BOM sees the Gephi column names and the Arabic.
    let nodes = table(&out.join("nodes.csv"));
    let sarraj = nodes.iter().find(|n| n["Id"] == "sarraj").unwrap();
    assert_eq!(sarraj["label_ar"], "فائز السراج");
    let edges = table(&out.join("edges.csv"));
    assert!(edges.iter().any(|e| e["Source"] == "tebboune"
        && e["Target"] == "gna"
        && e["Type"] == "Directed"
        && e["Weight"] == "1"
        && e["Label"] == "supports"));
    let relations = table(&out.join("relations.csv"));
    assert!(relations.iter().all(|r| !r["sentence"].is_empty()));
    // Without --excel: no BOM, LF.
    let plain = dir.path().join("plain");
    run_ok(&[
        "extract",
        s(&fixture("seed-article.jsonl")),
        "-o",
        s(&plain),
    ]);
    let bytes = std::fs::read(plain.join("nodes.csv")).unwrap();
    assert!(bytes.starts_with(b"Id,Label") && !bytes.contains(&b'\r'));
    // Python's csv module with utf-8-sig, as pandas reads it, where Python is here.
    if let Some(output) = python(&format!(
        "import csv\nrows = list(csv.DictReader(open({:?}, encoding='utf-8-sig', newline='')))\nprint(rows[0]['Id'], len(rows), rows[0]['label_ar'])",
        s(&out.join("nodes.csv"))
    )) {
        assert_eq!(output, format!("DZ {} الجزائر\n", nodes.len()));
    }
}

/// Runs a Python script; `None` (with a message) when Python is not installed.
fn python(script: &str) -> Option<String> {
    let output = match Command::new("python3").arg("-c").arg(script).output() {
        Ok(output) => output,
        Err(_) => {
            eprintln!("skipped: python3 is not installed");
            return None;
        }
    };
    assert!(
        output.status.success(),
        "python3 failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    Some(String::from_utf8(output.stdout).unwrap())
}

fn has_networkx() -> bool {
    let found = Command::new("python3")
        .args(["-c", "import networkx"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        eprintln!("skipped: networkx is not installed (pip install networkx)");
    }
    found
}

#[test]
fn graphml_parses_and_matches_the_tables() {
    let dir = tempfile::tempdir().unwrap();
    let records = extract_gold(dir.path());
    let gold = records.parent().unwrap();
    let text = std::fs::read_to_string(gold.join("graph.graphml")).unwrap();
    let doc = roxmltree::Document::parse(&text).expect("well-formed GraphML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "graphml");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://graphml.graphdrawing.org/xmlns")
    );
    let keys: BTreeMap<&str, &str> = root
        .children()
        .filter(|n| n.has_tag_name("key"))
        .map(|k| {
            (
                k.attribute("id").unwrap(),
                k.attribute("attr.name").unwrap(),
            )
        })
        .collect();
    let graph = root.children().find(|n| n.has_tag_name("graph")).unwrap();
    assert_eq!(graph.attribute("edgedefault"), Some("directed"));
    let data = |n: roxmltree::Node, name: &str| -> String {
        n.children()
            .find(|d| d.has_tag_name("data") && keys[d.attribute("key").unwrap()] == name)
            .and_then(|d| d.text().map(String::from))
            .unwrap_or_default()
    };
    let nodes: Vec<_> = graph
        .children()
        .filter(|n| n.has_tag_name("node"))
        .collect();
    assert_eq!(nodes.len(), node_ids(gold).len());
    let sarraj = nodes
        .iter()
        .find(|n| n.attribute("id") == Some("sarraj"))
        .unwrap();
    assert_eq!(data(*sarraj, "label_ar"), "فائز السراج");
    assert_eq!(data(*sarraj, "country"), "LY");
    let xml_edges: BTreeSet<(String, String, String)> = graph
        .children()
        .filter(|n| n.has_tag_name("edge"))
        .map(|e| {
            let directed = data(e, "directed");
            let kind = data(e, "kind");
            assert_eq!(
                directed == "true",
                kind == "supports" || kind == "opposes",
                "{kind}"
            );
            assert!(!data(e, "evidence").is_empty());
            (
                e.attribute("source").unwrap().to_string(),
                e.attribute("target").unwrap().to_string(),
                kind,
            )
        })
        .collect();
    assert_eq!(xml_edges, edge_keys(gold));
}

#[test]
fn gexf_carries_edge_dates_for_the_timeline() {
    let dir = tempfile::tempdir().unwrap();
    let records = extract_gold(dir.path());
    let gold = records.parent().unwrap();
    let text = std::fs::read_to_string(gold.join("graph.gexf")).unwrap();
    let doc = roxmltree::Document::parse(&text).expect("well-formed GEXF");
    let root = doc.root_element();
    assert_eq!(
        (root.tag_name().name(), root.attribute("version")),
        ("gexf", Some("1.3"))
    );
    let graph = root.children().find(|n| n.has_tag_name("graph")).unwrap();
    assert_eq!(graph.attribute("mode"), Some("dynamic"));
    assert_eq!(graph.attribute("timeformat"), Some("date"));
    assert_eq!(graph.attribute("defaultedgetype"), Some("directed"));
    let table_edges: BTreeMap<(String, String, String), (String, String, String)> = edges(gold)
        .into_iter()
        .map(|e| {
            (
                (e["Source"].clone(), e["Target"].clone(), e["kind"].clone()),
                (
                    e["first_date"].clone(),
                    e["last_date"].clone(),
                    e["Weight"].clone(),
                ),
            )
        })
        .collect();
    let xml_edges: Vec<_> = graph
        .descendants()
        .filter(|n| n.has_tag_name("edge"))
        .collect();
    assert_eq!(xml_edges.len(), table_edges.len());
    for e in xml_edges {
        let kind = e.attribute("kind").unwrap();
        let key = (
            e.attribute("source").unwrap().to_string(),
            e.attribute("target").unwrap().to_string(),
            kind.to_string(),
        );
        let (first, last, weight) = &table_edges[&key];
        assert_eq!(e.attribute("start"), Some(first.as_str()), "{key:?}");
        assert_eq!(e.attribute("end"), Some(last.as_str()), "{key:?}");
        assert_eq!(e.attribute("weight"), Some(weight.as_str()));
        let undirected = kind == "meets" || kind == "allied";
        assert_eq!(
            e.attribute("type"),
            undirected.then_some("undirected"),
            "{key:?}"
        );
    }
    // An actor lives from its first to its last edge.
    let ly = graph
        .descendants()
        .find(|n| n.has_tag_name("node") && n.attribute("id") == Some("LY"))
        .unwrap();
    assert_eq!(
        (ly.attribute("start"), ly.attribute("end")),
        (Some("2018-04-04"), Some("2018-10-19"))
    );
}

#[test]
fn networkx_reads_graphml_and_gexf() {
    if !has_networkx() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let records = extract_gold(dir.path());
    let gold = records.parent().unwrap();
    let directed = graph(
        dir.path(),
        "directed",
        &[&records],
        &["--kinds", "supports,opposes"],
    );
    let symmetric = graph(
        dir.path(),
        "symmetric",
        &[&records],
        &["--kinds", "meets,allied"],
    );
    let script = format!(
        r#"
import networkx as nx
g = nx.read_graphml({graphml:?})
assert g.is_directed() and g.is_multigraph(), type(g)
assert g.number_of_edges() == {edges}, g.number_of_edges()
assert g.nodes["sarraj"]["label_ar"] == "فائز السراج"
data = [d for s, t, d in g.edges(data=True) if (s, t) == ("LY", "NE") and d["kind"] == "allied"][0]
assert data["weight"] == 2.0 and data["directed"] is False and data["first_date"] == "2018-04-04", data
d = nx.read_gexf({directed_gexf:?})
assert d.is_directed()
assert all(e["kind"] in ("supports", "opposes") for _, _, e in d.edges(data=True))
us_gna = [e for s, t, e in d.edges(data=True) if (s, t) == ("US", "gna")][0]
assert us_gna["start"] == "2018-04-04" and us_gna["end"] == "2018-04-04", us_gna
u = nx.read_gexf({symmetric_gexf:?})
assert not u.is_directed() and u.is_multigraph()
assert {{k for _, _, k in u.edges(data="kind")}} == {{"meets", "allied"}}
print("ok", g.number_of_nodes(), d.number_of_edges(), u.number_of_edges())
"#,
        graphml = s(&gold.join("graph.graphml")),
        edges = edges(gold).len(),
        directed_gexf = s(&directed.join("graph.gexf")),
        symmetric_gexf = s(&symmetric.join("graph.gexf")),
    );
    let output = python(&script).unwrap();
    assert!(output.starts_with("ok "), "{output}");
}

#[test]
fn explain_marks_actors_and_trigger() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("seed");
    let extracted = run_ok(&[
        "extract",
        s(&fixture("seed-article.jsonl")),
        "-o",
        s(&out),
        "--explain",
    ]);
    let explained = run_ok(&["explain", s(&out.join("articles.jsonl"))]);
    let text = String::from_utf8(explained.stdout).unwrap();
    assert_eq!(String::from_utf8(extracted.stdout).unwrap(), text);
    assert!(text.starts_with("# [source] {target} <trigger>"), "{text}");
    assert!(
        text.contains(
            "seed-article · 2020-06-23 · text 607–698 · rule meets.discussed · fact\n  \
             Fayez al-Sarraj (sarraj) — meets — Luigi Di Maio (dimaio)\n  \
             <وناقش> الرئيس [السراج] مع وزير الخارجية الإيطالي {لويدجي دي مايو} في طرابلس خلال الأسبوع الماضي؛\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("Abdelmadjid Tebboune (tebboune) — supports → "),
        "{text}"
    );
    assert!(
        text.contains("HEDGED (question or condition): not a fact"),
        "{text}"
    );
    assert!(!text.contains('\u{1b}'), "no colour when not on a terminal");
    // Filters apply: only the supports relations.
    let supports = run_ok(&[
        "explain",
        s(&out.join("articles.jsonl")),
        "--kinds",
        "supports",
    ]);
    let supports = String::from_utf8(supports.stdout).unwrap();
    let count = supports.matches(" · rule ").count();
    assert_eq!(count, supports.matches(" — supports → ").count());
    assert_eq!(
        count,
        table(&out.join("relations.csv"))
            .iter()
            .filter(|r| r["kind"] == "supports")
            .count()
    );
}
