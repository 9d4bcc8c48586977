//! End-to-end tests of the conventions analysts expect of a command-line tool: quiet
//! and verbose runs, a summary for scripts, saying what was written, refusing to mix
//! two runs in one folder, counts in good English, and the documented columns.

use std::path::Path;

use serde_json::{Value, json};

mod common;
use common::{run_ok, run_with_stdin, stderr};

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

const TEXT: &str = "استقبل الرئيس تبون فائز السراج في الجزائر.";

/// One article without an id («استقبل الرئيس تبون فائز السراج في الجزائر», "President
/// Tebboune received Fayez al-Sarraj in Algiers"): a warning, one relation.
fn one_article(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("one.jsonl");
    std::fs::write(&path, format!("{}\n", json!({"text": TEXT}))).unwrap();
    path
}

#[test]
fn quiet_says_nothing_but_what_was_skipped_and_counts_read_well() {
    let dir = tempfile::tempdir().unwrap();
    let input = one_article(dir.path());
    let out = dir.path().join("out");
    let normal = run_ok(&["extract", s(&input), "-o", s(&out)]);
    let err = stderr(&normal);
    assert!(err.contains("no `id` field"), "{err}");
    assert!(
        err.contains("actorgraph: 1 article, ")
            && err.contains(", 1 relation, ")
            && err.contains(" 1 warning;"),
        "{err}"
    );
    let quiet = run_ok(&["extract", s(&input), "-o", s(&out), "--quiet"]);
    assert_eq!(stderr(&quiet), "");
    // A skipped line is still said, quiet or not.
    let bad = dir.path().join("bad.jsonl");
    std::fs::write(
        &bad,
        format!("{{oops\n{}\n", json!({"id": "a", "text": TEXT})),
    )
    .unwrap();
    let output = run_with_stdin(&["extract", s(&bad), "-o", s(&out), "-q"], None);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("bad.jsonl:1: not an article"), "{err}");
}

#[test]
fn summaries_for_scripts_and_graph_says_what_it_wrote() {
    let dir = tempfile::tempdir().unwrap();
    let input = one_article(dir.path());
    let (out, graph) = (dir.path().join("out"), dir.path().join("graph"));
    let summary = dir.path().join("extract.json");
    run_ok(&[
        "extract",
        s(&input),
        "-o",
        s(&out),
        "--summary-json",
        s(&summary),
    ]);
    let report: Value = serde_json::from_str(&std::fs::read_to_string(&summary).unwrap()).unwrap();
    assert_eq!(report["command"], "extract");
    assert_eq!(report["articles"], 1);
    assert_eq!(report["relations"], 1);
    assert_eq!(report["warnings"], 1);
    assert_eq!(report["skipped"], 0);
    assert_eq!(report["edges"], 1);
    assert_eq!(report["output"], s(&out));

    let summary = dir.path().join("graph.json");
    let output = run_ok(&[
        "graph",
        s(&out),
        "-o",
        s(&graph),
        "--summary-json",
        s(&summary),
        "--verbose",
    ]);
    let err = stderr(&output);
    assert!(
        err.contains(&format!("reading {}", s(&out.join("articles.jsonl")))),
        "{err}"
    );
    assert!(
        err.contains(
            "1 record from 1 file, 0 skipped; 3 actors and 1 edge (graph.dot draws 2 actors and 1 edge); edges.csv, graph.dot"
        ),
        "{err}"
    );
    assert!(
        err.contains(&format!("unknown.csv in {}", s(&graph))),
        "{err}"
    );
    let report: Value = serde_json::from_str(&std::fs::read_to_string(&summary).unwrap()).unwrap();
    assert_eq!(report["command"], "graph");
    assert_eq!(report["copies_folded"], 0);
    assert_eq!(
        (report["records"].clone(), report["nodes"].clone()),
        (json!(1), json!(3))
    );
    let files: Vec<&str> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    for file in &files {
        assert!(graph.join(file).is_file(), "{file}");
    }
    assert_eq!(files.len(), 7);
}

/// `graph -o` into the folder of the records it reads would leave extract's
/// mentions.csv beside graph's tables: refused, and the folder left as it was.
#[test]
fn graph_refuses_the_folder_of_its_records_and_o_names_a_folder() {
    let dir = tempfile::tempdir().unwrap();
    let input = one_article(dir.path());
    let out = dir.path().join("out");
    run_ok(&["extract", s(&input), "-o", s(&out)]);
    let before = std::fs::read(out.join("nodes.csv")).unwrap();
    for records in [out.clone(), out.join("articles.jsonl")] {
        let output = run_with_stdin(
            &["graph", s(&records), "-o", s(&out), "--country", "DZ"],
            None,
        );
        assert_eq!(output.status.code(), Some(2));
        assert!(
            stderr(&output).contains("the output folder holds the records read"),
            "{}",
            stderr(&output)
        );
    }
    assert_eq!(std::fs::read(out.join("nodes.csv")).unwrap(), before);

    for command in [
        vec!["extract", s(&input), "-o", s(&input)],
        vec!["graph", s(&out), "-o", s(&input)],
    ] {
        let output = run_with_stdin(&command, None);
        assert_eq!(output.status.code(), Some(2));
        assert!(
            stderr(&output).contains("is a file, not a folder"),
            "{}",
            stderr(&output)
        );
    }
}

/// docs/CONTRACT.md: the `country` of a state is its own id, so that one country's rows
/// are the state and its actors.
#[test]
fn a_state_is_its_own_country_in_nodes_csv() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    run_ok(&["extract", s(&one_article(dir.path())), "-o", s(&out)]);
    let nodes = std::fs::read_to_string(out.join("nodes.csv")).unwrap();
    let country = |id: &str| {
        nodes
            .lines()
            .find(|l| l.starts_with(&format!("{id},")))
            .unwrap_or_else(|| panic!("{id} in {nodes}"))
            .split(',')
            .nth(4)
            .unwrap()
            .to_string()
    };
    assert_eq!(country("DZ"), "DZ");
    assert_eq!(country("tebboune"), "DZ");
}

/// `gazetteer dump` names each surface's entity by its label and country too.
#[test]
fn gazetteer_dump_has_label_and_country() {
    let output = run_ok(&["gazetteer", "dump"]);
    let text = String::from_utf8(output.stdout).unwrap();
    let mut rows = text.lines();
    assert_eq!(rows.next(), Some("id\ttype\tsurface\tlabel\tcountry"));
    let rows: Vec<Vec<&str>> = rows.map(|r| r.split('\t').collect()).collect();
    assert!(rows.iter().all(|r| r.len() == 5));
    assert!(rows.contains(&vec![
        "tebboune",
        "PER",
        "تبون",
        "Abdelmadjid Tebboune",
        "DZ"
    ]));
    assert!(rows.contains(&vec!["DZ", "LOC", "الجزائر", "Algeria", "DZ"]));
}

/// A stray README.md in an input folder no longer makes every batch exit 1: `--exclude`
/// leaves it out, `--glob` reads only the files that match, as ripgrep's users expect.
#[test]
fn glob_and_exclude_choose_the_files_of_a_folder() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("news");
    std::fs::create_dir_all(folder.join("drafts")).unwrap();
    let line = |id: &str| format!("{}\n", json!({"id": id, "text": TEXT}));
    std::fs::write(folder.join("a.jsonl"), line("a")).unwrap();
    std::fs::write(folder.join("b.csv"), format!("id,text\nb,{TEXT}\n")).unwrap();
    std::fs::write(folder.join("drafts").join("c.jsonl"), line("c")).unwrap();
    std::fs::write(folder.join("README.md"), "# about these files\n").unwrap();
    let ids = |extra: &[&str]| {
        let mut args = vec!["extract", s(&folder), "-o", "-"];
        args.extend_from_slice(extra);
        let output = run_with_stdin(&args, None);
        let ids: Vec<String> = String::from_utf8(output.stdout)
            .unwrap()
            .lines()
            .map(|l| {
                serde_json::from_str::<Value>(l).unwrap()["id"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect();
        (output.status.code(), ids)
    };
    assert_eq!(
        ids(&[]),
        (Some(1), vec!["a".into(), "b".into(), "c".into()])
    );
    assert_eq!(
        ids(&["--exclude", "README.md"]),
        (Some(0), vec!["a".into(), "b".into(), "c".into()])
    );
    assert_eq!(
        ids(&["--glob", "*.jsonl", "--exclude", "drafts"]),
        (Some(0), vec!["a".into()])
    );
    assert_eq!(
        ids(&["--glob", "*.jsonl", "--glob", "*.csv"]),
        (Some(0), vec!["a".into(), "b".into(), "c".into()])
    );
}

/// A CSV named on the command line whose header has no text column is a mistake in the
/// command, not in the data: exit status 2 before anything is written.
#[test]
fn a_table_without_its_text_column_is_a_bad_argument() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("export.csv");
    std::fs::write(&csv, format!("id,article\n1,{TEXT}\n")).unwrap();
    let out = dir.path().join("out");
    let output = run_with_stdin(&["extract", s(&csv), "-o", s(&out)], None);
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(
        err.contains("export.csv:1: no text column") && err.contains("`id`, `article`"),
        "{err}"
    );
    assert!(!out.exists());
    let output = run_ok(&[
        "extract",
        s(&csv),
        "-o",
        s(&out),
        "--text-column",
        "article",
    ]);
    assert!(
        stderr(&output).contains("1 article,"),
        "{}",
        stderr(&output)
    );
}
