//! The HTML report, opened in a real browser: headless Chromium loads it from a file://
//! URL, acts on the link's fragment (`#edge=...`, `#month=...`, which the page carries
//! out through its own controls, as a click would), and prints the DOM it ends with
//! (`--dump-dom`). The page keeps its state in data-* attributes of `#status`: the counts,
//! the selection, and every error it saw (uncaught exceptions, console errors, requests
//! its Content-Security-Policy blocked).
//!
//! Chromium's own command line is enough: no WebDriver or DevTools client to depend on,
//! and nothing to keep running between tests. When Chromium is missing the browser tests
//! say SKIPPED and pass, unless ACTORGRAPH_REQUIRE_TOOLS=1.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use common::{fixture, run_ok};

/// The Chromium binary, or `None` (after saying so) when there is none.
fn chromium() -> Option<&'static str> {
    for name in ["chromium", "chromium-browser", "google-chrome"] {
        let found = Command::new(name)
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if found {
            return Some(name);
        }
    }
    let required = std::env::var_os("ACTORGRAPH_REQUIRE_TOOLS").is_some_and(|v| v != "0");
    assert!(
        !required,
        "Chromium is required (ACTORGRAPH_REQUIRE_TOOLS) but missing: install the Debian packages chromium and chromium-driver"
    );
    eprintln!(
        "SKIPPED: Chromium is not installed (Debian package chromium); this test opens the report in it"
    );
    None
}

/// What the browser ended with.
struct Page {
    /// The DOM, serialised.
    dom: String,
    /// Chromium's log: console messages appear as `CONSOLE` lines.
    log: String,
}

impl Page {
    /// A data-* attribute of `#status`.
    fn status(&self, name: &str) -> String {
        let start = self
            .dom
            .find("<output id=\"status\"")
            .expect("the status element");
        let tag = &self.dom[start..start + self.dom[start..].find('>').unwrap()];
        let key = format!(" data-{name}=\"");
        let at = tag
            .find(&key)
            .unwrap_or_else(|| panic!("no data-{name} in {tag}"));
        let value = &tag[at + key.len()..];
        value[..value.find('"').unwrap()].to_string()
    }

    fn count(&self, name: &str) -> usize {
        self.status(name).parse().unwrap()
    }

    /// The texts of the elements of class `class` (which hold text only).
    fn texts_of(&self, class: &str) -> Vec<String> {
        let key = format!("class=\"{class}\">");
        self.dom
            .match_indices(&key)
            .map(|(at, _)| {
                let text = &self.dom[at + key.len()..];
                text[..text.find('<').unwrap()].to_string()
            })
            .collect()
    }

    /// The page loaded, its script ran through, and it saw no error; the browser logged no
    /// console message.
    fn assert_clean(&self) {
        assert_eq!(
            self.status("ready"),
            "true",
            "the page's script never finished"
        );
        assert_eq!(self.status("errors"), "0", "errors on the page");
        assert!(!self.dom.contains("<pre id=\"errors\">"), "{}", self.dom);
        let console: Vec<&str> = self.log.lines().filter(|l| l.contains("CONSOLE")).collect();
        assert!(console.is_empty(), "console messages: {console:#?}");
    }
}

/// Opens `page` in headless Chromium with `fragment` after the `#`; `None` when
/// Chromium is missing.
fn open(page: &Path, fragment: &str) -> Option<Page> {
    let chromium = chromium()?;
    let profile = tempfile::tempdir().unwrap();
    let url = format!(
        "file://{}#{fragment}",
        fs::canonicalize(page).unwrap().display()
    );
    let output = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-extensions",
            "--disable-background-networking",
            "--disable-component-update",
            "--window-size=1280,800",
            "--enable-logging=stderr",
            "--v=0",
            "--virtual-time-budget=10000",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(&url)
        .output()
        .expect("Chromium runs");
    assert!(
        output.status.success(),
        "Chromium failed on {url}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    Some(Page {
        dom: String::from_utf8(output.stdout).unwrap(),
        log: String::from_utf8_lossy(&output.stderr).into_owned(),
    })
}

/// Rows of a CSV table (without its header).
fn rows(path: &Path) -> Vec<csv::StringRecord> {
    csv::Reader::from_path(path)
        .unwrap()
        .records()
        .map(Result::unwrap)
        .collect()
}

/// Runs `extract` on `input` into a new folder with `--report`; the folder and the page.
fn extract_with_report(input: &Path, extra: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let page = dir.path().join("report.html");
    let mut args = vec![
        "extract",
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--report",
        page.to_str().unwrap(),
    ];
    args.extend(extra);
    run_ok(&args);
    (dir, page)
}

/// A value for the page's link fragment: every byte but letters and digits escaped.
fn uri_component(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Checks the page's text without a browser: the policy that forbids every request, the
/// three script elements and nothing else that loads.
fn assert_offline(html: &str) {
    assert!(html.contains(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data: blob:\">"
    ));
    assert_eq!(html.matches("<script").count(), 3);
    assert_eq!(html.matches("</script>").count(), 3);
    // The data can hold anything as text (its `<` escaped): the rest of the page is code.
    let open = "<script type=\"application/json\" id=\"data\">";
    let data_start = html.find(open).expect("the data") + open.len();
    let data_end = data_start + html[data_start..].find("</script>").unwrap();
    assert!(!html[data_start..data_end].contains('<'));
    let code = format!("{}{}", &html[..data_start], &html[data_end..]);
    for tag in ["<link", "<img", "<iframe", " src=", "@import", "url("] {
        assert!(!code.contains(tag), "the page holds {tag}");
    }
    // URLs appear only in the vendored library's licence comments.
    let library = include_str!("../assets/vendor/cytoscape/cytoscape.min.js");
    let own = code.replacen(library, "", 1);
    assert!(own.len() < code.len(), "the library is embedded whole");
    assert!(
        !own.contains("http://") && !own.contains("https://"),
        "a URL outside the library"
    );
}

/// The seed's page shows the graph edges.csv and nodes.csv hold, and the Sarraj–Conte
/// edge's evidence with both names and the trigger marked, and searches as the command
/// line folds.
#[test]
fn the_seed_report_shows_the_tables_graph_and_its_evidence() {
    let (dir, page) = extract_with_report(&fixture("seed-article.jsonl"), &[]);
    let html = fs::read_to_string(&page).unwrap();
    assert_offline(&html);
    let nodes = rows(&dir.path().join("out/nodes.csv"));
    let edges = rows(&dir.path().join("out/edges.csv"));
    let relations = rows(&dir.path().join("out/relations.csv"));
    let meeting = relations
        .iter()
        .find(|r| {
            let mut sides = [&r[4], &r[6]];
            sides.sort();
            &r[3] == "meets" && sides == ["conte", "sarraj"]
        })
        .expect("Sarraj meets Conte in relations.csv");
    let trigger = meeting[11].to_string();

    // «السرّاج», with a shadda the gazetteer's spelling lacks, finds Sarraj.
    let Some(shown) = open(
        &page,
        &format!("search={}&edge=sarraj,conte,meets", uri_component("السرّاج")),
    ) else {
        return;
    };
    shown.assert_clean();
    assert_eq!(shown.count("nodes-total"), nodes.len());
    assert_eq!(shown.count("edges-total"), edges.len());
    assert_eq!(shown.count("edges-visible"), edges.len());
    let drawn = nodes.iter().filter(|n| &n[6] != "0").count();
    assert_eq!(shown.count("nodes-drawn"), drawn);
    assert!(shown.count("found") >= 1);
    assert_eq!(shown.status("selected"), "edge:conte|sarraj|meets");
    assert!(
        shown
            .dom
            .contains(&format!("{} actors · {} edges", nodes.len(), edges.len())),
        "the counts are on the page"
    );
    // The edge's source is conte (symmetric edges run from the smaller id).
    assert_eq!(shown.texts_of("mark-source")[1..], ["جوزيبي كونتي"]);
    assert_eq!(shown.texts_of("mark-target")[1..], ["فائز السراج"]);
    assert_eq!(shown.texts_of("mark-trigger")[1..], [trigger]);
    assert!(shown.dom.contains("seed-article"), "the article id");
    assert!(shown.dom.contains("rule <bdi>meets."), "the rule");
}

/// The time slider shows one month's graph: fewer edges than the whole year's; the star
/// view shows an actor's neighbourhood.
#[test]
fn the_month_slider_changes_the_edges_shown() {
    let (dir, page) = extract_with_report(&fixture("gold/libya.jsonl"), &[]);
    let edges = rows(&dir.path().join("out/edges.csv"));
    let Some(all) = open(&page, "") else { return };
    all.assert_clean();
    assert_eq!(all.count("edges-visible"), edges.len());
    assert!(all.count("months") >= 3, "{}", all.status("months"));
    // The edges of June 2018, from edges.csv's article ids (ANT's end in the date).
    let june = edges
        .iter()
        .filter(|e| {
            e[8].split(';')
                .any(|a| a.rsplit('-').next().unwrap().starts_with("201806"))
        })
        .count();
    assert!(june > 0 && june < edges.len(), "{june} of {}", edges.len());
    let month = open(&page, "month=2018-06").unwrap();
    month.assert_clean();
    assert_eq!(month.status("month"), "2018-06");
    assert_eq!(month.count("edges-visible"), june);
    assert!(month.count("nodes-visible") < all.count("nodes-visible"));

    // The star view around Libya is `--around LY`'s graph.
    let around = dir.path().join("around");
    let records = dir.path().join("out/articles.jsonl");
    run_ok(&[
        "graph",
        records.to_str().unwrap(),
        "-o",
        around.to_str().unwrap(),
        "--around",
        "LY",
    ]);
    let star = open(&page, "star=LY").unwrap();
    star.assert_clean();
    assert_eq!(star.status("selected"), "node:LY");
    assert_eq!(
        star.count("edges-visible"),
        rows(&around.join("edges.csv")).len()
    );
    assert_eq!(
        star.count("nodes-visible"),
        rows(&around.join("nodes.csv")).len()
    );
}

/// The report's filters are `graph`'s: a sliced report shows the slice's tables.
#[test]
fn a_filtered_report_shows_the_filtered_tables() {
    let (dir, page) = extract_with_report(
        &fixture("gold/libya.jsonl"),
        &["--kinds", "meets", "--labels", "ar"],
    );
    let html = fs::read_to_string(&page).unwrap();
    assert!(html.contains("\"labels\":\"ar\""));
    let nodes = rows(&dir.path().join("out/nodes.csv"));
    let edges = rows(&dir.path().join("out/edges.csv"));
    assert!(edges.iter().all(|e| &e[5] == "meets"));
    let Some(shown) = open(&page, "") else { return };
    shown.assert_clean();
    assert_eq!(shown.count("nodes-total"), nodes.len());
    assert_eq!(shown.count("edges-total"), edges.len());
}

/// Records whose ids, labels and sentences hold markup, quotes, line separators and
/// bidi controls: the page shows them as text, runs none of it, and breaks nothing.
#[test]
fn hostile_strings_render_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let source = "x</script><script>document.title='pwned'</script>";
    let target = "q\"'\u{2028}\u{202E}<!--";
    let sentence = format!(
        "التقى {source} مع {target} <img src=x onerror=\"window.pwned=1\"> & \u{2029}\u{2066}bidi\u{2069} </script>"
    );
    let chars = |text: &str| text.chars().count();
    let source_start = chars("التقى ");
    let target_start = source_start + chars(source) + chars(" مع ");
    let record = serde_json::json!({
        "id": "art</script><b>\u{2028}",
        "date": "2018-06-01",
        "mentions": [
            {"start": source_start, "end": source_start + chars(source), "text": source,
             "type": "PER", "entity": source, "label": "<img src=x onerror=alert(1)>", "known": false},
            {"start": target_start, "end": target_start + chars(target), "text": target,
             "type": "ORG", "entity": target, "label": target}
        ],
        "relations": [{
            "kind": "meets",
            "source": {"entity": source, "start": source_start, "end": source_start + chars(source)},
            "target": {"entity": target, "start": target_start, "end": target_start + chars(target)},
            "trigger": {"start": 0, "end": 5, "text": "التقى"},
            "sentence": {"start": 0, "end": chars(&sentence), "text": sentence},
            "negated": false, "hedged": false, "rule": "meets.</script>"
        }]
    });
    let records = dir.path().join("articles.jsonl");
    fs::write(&records, format!("{record}\n")).unwrap();
    let page = dir.path().join("report.html");
    run_ok(&[
        "report",
        records.to_str().unwrap(),
        "-o",
        page.to_str().unwrap(),
    ]);
    let html = fs::read_to_string(&page).unwrap();
    assert_offline(&html);
    assert!(!html.contains("pwned'</script>") && !html.contains('\u{2028}'));
    // Symmetric edges run from the smaller id: the quote sorts before the x.
    let fragment = format!(
        "edge={},{},meets",
        uri_component(target),
        uri_component(source)
    );
    let Some(shown) = open(&page, &fragment) else {
        return;
    };
    shown.assert_clean();
    assert_eq!(shown.count("edges-total"), 1);
    assert_eq!(shown.dom.matches("<script").count(), 3);
    assert!(!shown.dom.contains("<img") && !shown.dom.contains("<b>"));
    assert!(!shown.dom.contains("pwned</title>"));
    assert!(
        shown
            .dom
            .contains("&lt;img src=x onerror=\"window.pwned=1\"&gt;")
    );
    assert!(shown.dom.contains("art&lt;/script&gt;&lt;b&gt;"));
    assert!(
        shown.texts_of("mark-target")[1..]
            .iter()
            .any(|t| t.contains("document.title='pwned'&lt;/script&gt;"))
    );
}

/// `--report` writes a page, so it needs an output folder, not standard output.
#[test]
fn report_goes_with_an_output_folder() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("report.html");
    let output = common::run_with_stdin(
        &[
            "extract",
            fixture("seed-article.jsonl").to_str().unwrap(),
            "-o",
            "-",
            "--report",
            page.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(common::stderr(&output).contains("--report goes with -o OUTDIR"));
    assert!(!page.exists());
}

/// The screenshots of the report in docs/ (made by docs/pictures.sh) are pictures: PNG
/// files whose pixels are not all one colour.
#[test]
fn the_report_screenshots_are_not_blank() {
    for name in ["report-seed.png", "report-libya-2018-06.png"] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("docs")
            .join(name);
        let png = fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "{name}");
        // The image data: the IDAT chunks' payloads, one zlib stream.
        let mut at = 8;
        let mut compressed = Vec::new();
        let mut width = 0;
        while at + 8 <= png.len() {
            let length = u32::from_be_bytes(png[at..at + 4].try_into().unwrap()) as usize;
            let kind = &png[at + 4..at + 8];
            let body = &png[at + 8..at + 8 + length];
            if kind == b"IHDR" {
                width = u32::from_be_bytes(body[..4].try_into().unwrap());
            } else if kind == b"IDAT" {
                compressed.extend_from_slice(body);
            }
            at += 12 + length;
        }
        assert!(width >= 800, "{name}: {width} pixels wide");
        let mut pixels = Vec::new();
        std::io::Read::read_to_end(
            &mut flate2::read::ZlibDecoder::new(&compressed[..]),
            &mut pixels,
        )
        .unwrap();
        // One colour, filtered, is a handful of byte values; a picture is most of them.
        let mut seen = [false; 256];
        pixels.iter().for_each(|&b| seen[b as usize] = true);
        let distinct = seen.iter().filter(|&&s| s).count();
        assert!(distinct > 100, "{name}: {distinct} byte values");
    }
}
