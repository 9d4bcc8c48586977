//! End-to-end tests of the pictures analysts can read: a warning with the filters that
//! work when graph.dot is too large (on a generated graph), the star around one actor,
//! and graph files without the actors that have no edge.

use std::path::Path;

use serde_json::{Value, json};

mod common;
use common::{run_ok, stderr};

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// A relation record of `source` meeting `target`, with its evidence.
fn meets(source: &str, target: &str) -> Value {
    let sentence = "التقى الرئيس نظيره في العاصمة.";
    json!({
        "kind": "meets",
        "source": {"entity": source, "start": 6, "end": 12},
        "target": {"entity": target, "start": 13, "end": 18},
        "trigger": {"start": 0, "end": 5, "text": "التقى"},
        "sentence": {"start": 0, "end": 30, "text": sentence},
        "negated": false,
        "hedged": false,
        "rule": "meets.met"
    })
}

/// Records of a generated corpus: `actors` people `p0`, `p1`, ... each meeting the
/// next three around a ring, one article a person, dated June 2018.
fn ring(dir: &Path, actors: usize) -> std::path::PathBuf {
    let path = dir.join("ring.jsonl");
    let mut text = String::new();
    for i in 0..actors {
        let relations: Vec<Value> = (1..=3)
            .map(|step| meets(&format!("p{i}"), &format!("p{}", (i + step) % actors)))
            .collect();
        let record = json!({"id": format!("a{i}"), "date": "2018-06-01", "mentions": [], "relations": relations});
        text.push_str(&format!("{record}\n"));
    }
    std::fs::write(&path, text).unwrap();
    path
}

/// The node lines of a graph.dot (`  "id" [label=...`), not its edges.
fn dot_nodes(dot: &str) -> Vec<&str> {
    dot.lines()
        .filter(|l| l.starts_with("  \"") && !l.contains(" -> "))
        .collect()
}

/// A graph too large to lay out readably (200 actors, 600 edges) is drawn by its top 30
/// actors by default, the caption and a note saying so and naming the filters that
/// work; `--dot-top 0` draws it whole, with a warning; `--top` draws what it asked for.
/// The other graph files hold the whole graph.
#[test]
fn a_drawing_too_large_to_read_says_which_filters_work() {
    let dir = tempfile::tempdir().unwrap();
    let records = ring(dir.path(), 200);
    let read =
        |name: &str, file: &str| std::fs::read_to_string(dir.path().join(name).join(file)).unwrap();
    let output = run_ok(&["graph", s(&records), "-o", s(&dir.path().join("default"))]);
    let err = stderr(&output);
    assert!(
        err.contains("note: the graph has 200 actors with edges and 600 edges, more than Graphviz lays out readably: graph.dot draws the top 30 (30 actors and 73 edges")
            && err.contains("--top N --min-weight N, --around ENTITY [--star]")
            && err.contains("--dot-top 0 draws it all")
            && !err.contains("warning"),
        "{err}"
    );
    let dot = read("default", "graph.dot");
    assert_eq!(dot_nodes(&dot).len(), 30, "{dot}");
    assert!(
        dot.contains("actorgraph · 30 actors · 73 edges")
            && dot.contains(
                "drawn: the top 30 actors of 200 actors and 600 edges (all in graph.gexf)"
            ),
        "{dot}"
    );
    assert_eq!(read("default", "nodes.csv").lines().count(), 201);
    assert_eq!(read("default", "edges.csv").lines().count(), 601);

    let output = run_ok(&[
        "graph",
        s(&records),
        "-o",
        s(&dir.path().join("all")),
        "--dot-top",
        "0",
    ]);
    let err = stderr(&output);
    assert!(
        err.contains("warning: graph.dot draws 200 actors and 600 edges, more than Graphviz lays out readably")
            && err.contains("--top 30 --min-weight 2"),
        "{err}"
    );
    assert_eq!(dot_nodes(&read("all", "graph.dot")).len(), 200);

    let output = run_ok(&[
        "graph",
        s(&records),
        "-o",
        s(&dir.path().join("top")),
        "--top",
        "40",
    ]);
    let err = stderr(&output);
    assert!(!err.contains("note") && !err.contains("warning"), "{err}");
    assert!(err.contains("; 40 actors and 103 edges; "), "{err}");
    assert_eq!(dot_nodes(&read("top", "graph.dot")).len(), 40);
}

/// A dump's graph is mostly actors without an edge (43,764 of them on the whole ANT
/// corpus, most of them unknown actors): graph.dot leaves them out and says nothing of
/// its size when the actors with edges are few, while nodes.csv, GraphML and GEXF list
/// them all.
#[test]
fn the_default_drawing_leaves_out_actors_without_edges() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mostly-alone.jsonl");
    let mut text = std::fs::read_to_string(ring(dir.path(), 20)).unwrap();
    for i in 0..2000 {
        let name = format!("شخص {i}");
        let mention = json!({"start": 0, "end": name.chars().count(), "text": name, "type": "PER", "entity": format!("shkhs_{i}"), "label": format!("shkhs {i}"), "known": false});
        let record = json!({"id": format!("alone-{i:04}"), "date": "2018-06-02", "mentions": [mention], "relations": []});
        text.push_str(&format!("{record}\n"));
    }
    std::fs::write(&path, text).unwrap();
    let out = dir.path().join("out");
    let output = run_ok(&["graph", s(&path), "-o", s(&out)]);
    let err = stderr(&output);
    assert!(!err.contains("note") && !err.contains("warning"), "{err}");
    assert!(
        err.contains("; 2020 actors and 60 edges (graph.dot draws 20 actors and 60 edges); "),
        "{err}"
    );
    let dot = std::fs::read_to_string(out.join("graph.dot")).unwrap();
    let nodes = dot_nodes(&dot);
    assert_eq!(nodes.len(), 20, "{dot}");
    assert!(nodes.iter().all(|n| n.starts_with("  \"p")), "{nodes:?}");
    assert!(dot.contains("actorgraph · 20 actors · 60 edges"), "{dot}");
    let csv = std::fs::read_to_string(out.join("nodes.csv")).unwrap();
    assert_eq!(csv.lines().count(), 1 + 2020);
    let gexf = std::fs::read_to_string(out.join("graph.gexf")).unwrap();
    assert_eq!(gexf.matches("<node id=").count(), 2020);
}

#[test]
fn a_star_draws_the_ego_and_its_neighbours_only() {
    let dir = tempfile::tempdir().unwrap();
    let records = ring(dir.path(), 20);
    let edges = |name: &str, extra: &[&str]| {
        let out = dir.path().join(name);
        let mut args = vec!["graph", s(&records), "-o", s(&out), "--around", "p5"];
        args.extend_from_slice(extra);
        run_ok(&args);
        let text = std::fs::read_to_string(out.join("edges.csv")).unwrap();
        let dot = std::fs::read_to_string(out.join("graph.dot")).unwrap();
        let rows: Vec<(String, String)> = text
            .lines()
            .skip(1)
            .map(|l| {
                let f: Vec<&str> = l.split(',').collect();
                (f[0].to_string(), f[1].to_string())
            })
            .collect();
        (rows, dot)
    };
    let (ego, _) = edges("ego", &[]);
    let (star, dot) = edges("star", &["--star"]);
    // p5 meets p2, p3, p4, p6, p7, p8; the ego network also joins them to each other.
    assert_eq!(star.len(), 6, "{star:?}");
    assert!(star.iter().all(|(a, b)| a == "p5" || b == "p5"), "{star:?}");
    assert!(ego.len() > star.len());
    assert!(dot.contains("around p5 (1 step, star)"), "{dot}");
}

/// Actors without an edge leave GraphML and GEXF with --connected-only: «استقبل الرئيس
/// تبون فائز السراج في الجزائر» names Algeria, which takes no part in the meeting.
#[test]
fn connected_only_leaves_out_actors_without_edges() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("one.jsonl");
    let text = "استقبل الرئيس تبون فائز السراج في الجزائر.";
    std::fs::write(&input, format!("{}\n", json!({"id": "one", "text": text}))).unwrap();
    let (all, connected) = (dir.path().join("all"), dir.path().join("connected"));
    run_ok(&["extract", s(&input), "-o", s(&all)]);
    run_ok(&[
        "extract",
        s(&input),
        "-o",
        s(&connected),
        "--connected-only",
    ]);
    for file in ["graph.graphml", "graph.gexf", "nodes.csv"] {
        let before = std::fs::read_to_string(all.join(file)).unwrap();
        let after = std::fs::read_to_string(connected.join(file)).unwrap();
        assert!(before.contains("Algeria"), "{file}");
        assert!(!after.contains("Algeria"), "{file}");
        assert!(
            after.contains("Tebboune") && after.contains("Sarraj"),
            "{file}"
        );
    }
}

/// `--edge-labels` chooses what the edges of graph.dot say; the default is unchanged.
#[test]
fn edge_labels_say_none_the_weight_or_the_kind() {
    let dir = tempfile::tempdir().unwrap();
    let records = ring(dir.path(), 5);
    let labels = |what: &str| {
        let out = dir.path().join(what);
        run_ok(&["graph", s(&records), "-o", s(&out), "--edge-labels", what]);
        let dot = std::fs::read_to_string(out.join("graph.dot")).unwrap();
        dot.lines()
            .find(|l| l.contains("\"p0\" -> \"p1\""))
            .and_then(|l| l.split("label=\"").nth(1))
            .and_then(|l| l.split('"').next())
            .unwrap()
            .to_string()
    };
    assert_eq!(labels("both"), "meets ×1");
    assert_eq!(labels("kind"), "meets");
    assert_eq!(labels("weight"), "×1");
    assert_eq!(labels("none"), "");
}

/// `explain` marks a side named before its sentence (the Libya of «وقال سيالة إن بلاده
/// تعمل على تعزيز حدودها مع الجيران بتوقيع اتفاقيات مع السودان», "Siala said his country
/// is securing its borders by agreements with Sudan", named sentences earlier), prints
/// JSON for scripts, and shows one article or one edge.
#[test]
fn explain_marks_carried_sides_and_filters_articles_and_edges() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("gold");
    run_ok(&[
        "extract",
        s(&common::fixture("gold/libya.jsonl")),
        "-o",
        s(&out),
        "-q",
    ]);
    let article = "BB-middleEast-1128-20181019";
    let text =
        String::from_utf8(run_ok(&["explain", s(&out), "--article", article]).stdout).unwrap();
    let heads: Vec<&str> = text.lines().filter(|l| l.contains(" · rule ")).collect();
    assert!(
        !heads.is_empty() && heads.iter().all(|l| l.starts_with(article)),
        "{text}"
    );
    assert!(
        text.contains("Libya (LY) ^named before, at 1348–1353 — allied — Sudan (SD)"),
        "{text}"
    );

    let json = run_ok(&["explain", s(&out), "--article", article, "--json"]).stdout;
    let rows: Vec<Value> = String::from_utf8(json)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), heads.len());
    let carried = rows
        .iter()
        .find(|r| r["source"]["entity"] == "LY" && r["target"]["entity"] == "SD")
        .expect("the Libya–Sudan alliance");
    assert_eq!(carried["source"]["in_sentence"], false);
    assert_eq!(carried["target"]["in_sentence"], true);
    assert_eq!(carried["target"]["label"], "Sudan");
    assert!(carried["marked"].as_str().unwrap().contains("{السودان}"));

    for edge in ["mogherini,sarraj", "sarraj,mogherini"] {
        let json = run_ok(&["explain", s(&out), "--edge", edge, "--json"]).stdout;
        let rows: Vec<Value> = String::from_utf8(json)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(rows.len(), 2, "{rows:?}");
        assert!(rows.iter().all(|r| r["kind"] == "meets"));
    }
}

/// One visit told three times in one article reads `meets ×3`; `--weight articles`
/// counts the distinct articles behind an edge, for the weight, `--min-weight` and the
/// labels alike.
#[test]
fn weight_articles_counts_distinct_articles() {
    let dir = tempfile::tempdir().unwrap();
    let records = dir.path().join("told-thrice.jsonl");
    let told = |id: &str, times: usize| {
        let relations: Vec<Value> = (0..times).map(|_| meets("p0", "p1")).collect();
        json!({"id": id, "date": "2018-06-01", "mentions": [], "relations": relations})
    };
    std::fs::write(
        &records,
        format!(
            "{}\n{}\n{}\n",
            told("a", 3),
            told("b", 1),
            json!({"id": "c", "mentions": [], "relations": [meets("p1", "p2")]})
        ),
    )
    .unwrap();
    let edges = |name: &str, extra: &[&str]| {
        let out = dir.path().join(name);
        let mut args = vec!["graph", s(&records), "-o", s(&out)];
        args.extend_from_slice(extra);
        run_ok(&args);
        std::fs::read_to_string(out.join("edges.csv")).unwrap()
    };
    let relations = edges("relations", &[]);
    assert!(
        relations.contains("p0,p1,Undirected,4,meets,meets,2018-06-01,2018-06-01,a;b"),
        "{relations}"
    );
    let articles = edges("articles", &["--weight", "articles"]);
    assert!(articles.contains("p0,p1,Undirected,2,meets,"), "{articles}");
    assert!(articles.contains("p1,p2,Undirected,1,meets,"), "{articles}");
    let strong = edges("strong", &["--weight", "articles", "--min-weight", "2"]);
    assert_eq!(strong.lines().count(), 2, "{strong}");
}

/// The article of `file` under fixtures/gold whose id is `id`, as a JSON object.
fn gold_article(file: &str, id: &str) -> Value {
    let text = std::fs::read_to_string(common::fixture("gold").join(file)).unwrap();
    text.lines()
        .map(|line| serde_json::from_str::<Value>(line).unwrap())
        .find(|article| article["id"] == id)
        .unwrap()
}

/// The rows of edges.csv in `dir` between `a` and `b`.
fn edge_rows(dir: &Path, a: &str, b: &str) -> Vec<String> {
    std::fs::read_to_string(dir.join("edges.csv"))
        .unwrap()
        .lines()
        .filter(|row| row.starts_with(&format!("{a},{b},")))
        .map(String::from)
        .collect()
}

/// Two copies of one article under two ids (a re-crawl, its line breaks doubled) count
/// once: the edge weighs what one copy gives (Macron meets bin Salman twice in it), its
/// articles are the least id's, `--weight articles` gives 1, and the run says how many
/// copies it folded, in `extract` and `graph`, whatever order the records come in.
/// Records without fingerprints (an older release's) are still read, each on its own.
#[test]
fn copies_of_one_text_count_once() {
    let dir = tempfile::tempdir().unwrap();
    let original = gold_article("diplomacy.jsonl", "CN-middleEast-564-20180410");
    let mut copy = original.clone();
    copy["id"] = json!("AL-copy-564");
    copy["text"] = json!(original["text"].as_str().unwrap().replace('\n', "\n\n"));
    let other = gold_article("libya.jsonl", "FR-internationalNews-2308-20180715");
    let line =
        |articles: &[&Value]| -> String { articles.iter().map(|a| format!("{a}\n")).collect() };
    let once = dir.path().join("once.jsonl");
    let twice = dir.path().join("twice.jsonl");
    std::fs::write(&once, line(&[&original, &other])).unwrap();
    std::fs::write(&twice, line(&[&original, &other, &copy])).unwrap();
    run_ok(&["extract", s(&once), "-o", s(&dir.path().join("once"))]);
    let output = run_ok(&["extract", s(&twice), "-o", s(&dir.path().join("twice"))]);
    assert!(
        stderr(&output).contains("1 duplicate text folded"),
        "{}",
        stderr(&output)
    );

    let single = edge_rows(&dir.path().join("once"), "FR", "mbs");
    assert_eq!(
        single,
        ["FR,mbs,Undirected,2,meets,meets,2018-04-10,2018-04-10,CN-middleEast-564-20180410"]
    );
    let folded = edge_rows(&dir.path().join("twice"), "FR", "mbs");
    assert_eq!(
        folded,
        ["FR,mbs,Undirected,2,meets,meets,2018-04-10,2018-04-10,AL-copy-564"]
    );
    assert_eq!(
        edge_rows(&dir.path().join("twice"), "mogherini", "sarraj"),
        edge_rows(&dir.path().join("once"), "mogherini", "sarraj"),
    );

    // The records, split in two files and read in both orders by `graph`.
    let records = std::fs::read_to_string(dir.path().join("twice/articles.jsonl")).unwrap();
    let fingerprints: Vec<&str> = records
        .lines()
        .map(|l| {
            l.split("\"fingerprint\":\"")
                .nth(1)
                .unwrap()
                .get(..16)
                .unwrap()
        })
        .collect();
    assert_eq!(fingerprints[0], fingerprints[2], "{records}");
    assert_ne!(fingerprints[0], fingerprints[1], "{records}");
    let lines: Vec<&str> = records.lines().collect();
    let (first, second) = (dir.path().join("a.jsonl"), dir.path().join("b.jsonl"));
    std::fs::write(&first, format!("{}\n{}\n", lines[0], lines[1])).unwrap();
    std::fs::write(&second, format!("{}\n", lines[2])).unwrap();
    for (name, order) in [("ab", [&first, &second]), ("ba", [&second, &first])] {
        let out = dir.path().join(name);
        let output = run_ok(&["graph", s(order[0]), s(order[1]), "-o", s(&out)]);
        assert!(
            stderr(&output).contains("3 records from 2 files, 0 skipped, 1 duplicate text folded;"),
            "{}",
            stderr(&output)
        );
        assert_eq!(edge_rows(&out, "FR", "mbs"), folded);
    }
    let by_articles = dir.path().join("articles");
    run_ok(&[
        "graph",
        s(&first),
        s(&second),
        "-o",
        s(&by_articles),
        "--weight",
        "articles",
        "--summary-json",
        s(&dir.path().join("summary.json")),
    ]);
    assert_eq!(
        edge_rows(&by_articles, "FR", "mbs"),
        ["FR,mbs,Undirected,1,meets,meets,2018-04-10,2018-04-10,AL-copy-564"]
    );
    let summary: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("summary.json")).unwrap())
            .unwrap();
    assert_eq!(summary["copies_folded"], 1);

    let older = dir.path().join("older.jsonl");
    let stripped: String = records
        .lines()
        .map(|l| {
            let mut record: Value = serde_json::from_str(l).unwrap();
            record.as_object_mut().unwrap().remove("fingerprint");
            format!("{record}\n")
        })
        .collect();
    std::fs::write(&older, stripped).unwrap();
    // A fingerprint that is not one is reported with its line, as any bad field is.
    let forged = dir.path().join("forged.jsonl");
    std::fs::write(
        &forged,
        records
            .lines()
            .next()
            .unwrap()
            .replacen(fingerprints[0], "not-a-fingerprint", 1),
    )
    .unwrap();
    let output = common::run_with_stdin(
        &["graph", s(&forged), "-o", s(&dir.path().join("forged"))],
        None,
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("forged.jsonl:1: not an article record: invalid value: string \"not-a-fingerprint\", expected sixteen lowercase hex digits"),
        "{}",
        stderr(&output)
    );
    let out = dir.path().join("older");
    let output = run_ok(&["graph", s(&older), "-o", s(&out)]);
    assert!(!stderr(&output).contains("folded"), "{}", stderr(&output));
    assert_eq!(
        edge_rows(&out, "FR", "mbs"),
        [
            "FR,mbs,Undirected,4,meets,meets,2018-04-10,2018-04-10,AL-copy-564;CN-middleEast-564-20180410"
        ]
    );
}
