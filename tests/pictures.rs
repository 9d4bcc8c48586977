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

#[test]
fn a_drawing_too_large_to_read_says_which_filters_work() {
    let dir = tempfile::tempdir().unwrap();
    let records = ring(dir.path(), 200);
    let output = run_ok(&["graph", s(&records), "-o", s(&dir.path().join("all"))]);
    let err = stderr(&output);
    assert!(
        err.contains("warning: graph.dot draws 200 actors and 600 edges, more than Graphviz lays out readably")
            && err.contains("--top 30 --min-weight 2"),
        "{err}"
    );
    let output = run_ok(&[
        "graph",
        s(&records),
        "-o",
        s(&dir.path().join("top")),
        "--top",
        "30",
    ]);
    assert!(!stderr(&output).contains("warning"), "{}", stderr(&output));
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
