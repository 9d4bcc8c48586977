//! End-to-end tests of inputs as real dumps come: numeric ids, other field names,
//! timestamps, gzip, nested fields, CSV or TSV piped on standard input, and the empty
//! partitions a Spark job pipes in.

use std::io::Write;
use std::path::Path;

use serde_json::{Value, json};

mod common;
use common::{fixture, run_ok, run_with_stdin, stderr};

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

fn lines(text: &str) -> Vec<Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn gzip(path: &Path, bytes: &[u8]) {
    let mut encoder =
        flate2::write::GzEncoder::new(std::fs::File::create(path).unwrap(), Default::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap();
}

const TEXT: &str = "استقبل الرئيس تبون فائز السراج في الجزائر.";

/// A newcomer's dump: gzipped JSON Lines whose ids are numbers, whose text is `body`
/// and whose dates are RFC 3339 timestamps. With no flag it gives the graph the
/// canonical dump gives, dates and date filters included.
#[test]
fn a_gzipped_dump_with_numeric_ids_and_timestamps_needs_no_flag() {
    let dir = tempfile::tempdir().unwrap();
    let canonical = std::fs::read_to_string(fixture("gold/libya.jsonl")).unwrap();
    let mut dump = String::new();
    let mut ids = Vec::new();
    for (n, article) in lines(&canonical).iter().enumerate() {
        let id = 1000 + n as u64;
        ids.push((article["id"].as_str().unwrap().to_string(), id.to_string()));
        let date = format!("{}T10:00:00Z", article["date"].as_str().unwrap());
        dump.push_str(&json!({"id": id, "date": date, "body": article["text"]}).to_string());
        dump.push('\n');
    }
    let gz = dir.path().join("dump.jsonl.gz");
    gzip(&gz, dump.as_bytes());
    let (plain, real) = (dir.path().join("plain"), dir.path().join("real"));
    run_ok(&["extract", s(&fixture("gold/libya.jsonl")), "-o", s(&plain)]);
    let output = run_ok(&["extract", s(&gz), "-o", s(&real)]);
    assert!(
        stderr(&output).contains(" 0 skipped, 0 warnings"),
        "{}",
        stderr(&output)
    );
    let read = |dir: &Path, name: &str| std::fs::read_to_string(dir.join(name)).unwrap();
    assert_eq!(read(&plain, "nodes.csv"), read(&real, "nodes.csv"));
    // The edges are the same, with the numeric ids in place of the corpus's (sorted
    // as strings, so the article lists are compared as sets).
    let mut expected = read(&plain, "edges.csv");
    for (from, to) in &ids {
        expected = expected.replace(from.as_str(), to);
    }
    let sets = |edges: &str| -> Vec<(String, Vec<String>)> {
        edges
            .lines()
            .map(|line| {
                let (head, articles) = line.rsplit_once(',').unwrap();
                let mut articles: Vec<String> = articles.split(';').map(String::from).collect();
                articles.sort();
                (head.to_string(), articles)
            })
            .collect()
    };
    assert_eq!(sets(&expected), sets(&read(&real, "edges.csv")));
    let records = lines(&read(&real, "articles.jsonl"));
    assert_eq!(records[0]["id"], "1000");
    assert_eq!(records[0]["date"], lines(&canonical)[0]["date"]);
    // The dates are there for the filters too.
    let (june, all) = (dir.path().join("june"), dir.path().join("all"));
    run_ok(&["graph", s(&real.join("articles.jsonl")), "-o", s(&all)]);
    run_ok(&[
        "graph",
        s(&real.join("articles.jsonl")),
        "-o",
        s(&june),
        "--since",
        "2018-06",
        "--until",
        "2018-06",
    ]);
    let count = |dir: &Path| read(dir, "relations.csv").lines().count();
    assert!(count(&june) > 1 && count(&june) < count(&all));
}

/// `--id-column` and its siblings name JSON Lines fields too, nested ones by a path;
/// an article without an id is named `STEM-LINE` with one warning for the file, and
/// `headline` and `content` are read as the title and the text.
#[test]
fn json_lines_fields_are_named_as_table_columns() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("export.jsonl");
    let rows = [
        json!({"uid": "u1", "meta": {"published": "2020-06-23T08:00:00+02:00"}, "article": {"body": TEXT}}),
        json!({"uid": 7, "meta": {"published": "2020-06-24 09:30:00"}, "article": {"body": TEXT}}),
    ];
    let text: String = rows.iter().map(|r| format!("{r}\n")).collect();
    std::fs::write(&path, text).unwrap();
    let output = run_ok(&[
        "extract",
        s(&path),
        "-o",
        "-",
        "--id-column",
        "uid",
        "--date-column",
        "meta.published",
        "--text-column",
        "article.body",
    ]);
    let records = lines(&String::from_utf8(output.stdout).unwrap());
    let got: Vec<(&str, &str)> = records
        .iter()
        .map(|r| (r["id"].as_str().unwrap(), r["date"].as_str().unwrap()))
        .collect();
    assert_eq!(got, [("u1", "2020-06-23"), ("7", "2020-06-24")]);
    assert!(records.iter().all(|r| r["relations"][0]["kind"] == "meets"));

    let plain = dir.path().join("plain.jsonl");
    let rows = [
        json!({"headline": "زيارة", "content": TEXT}),
        json!({"headline": "زيارة", "content": TEXT}),
    ];
    let text: String = rows.iter().map(|r| format!("{r}\n")).collect();
    std::fs::write(&plain, text).unwrap();
    let output = run_ok(&["extract", s(&plain), "-o", "-"]);
    let records = lines(&String::from_utf8(output.stdout.clone()).unwrap());
    let ids: Vec<&str> = records.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["plain-1", "plain-2"]);
    let err = stderr(&output);
    assert_eq!(err.matches("no `id` field").count(), 1, "{err}");
    assert!(err.contains("named `plain-LINE`"), "{err}");
}

/// CSV and TSV piped on standard input are told by their header; what is neither says
/// so once, not once a line; `--input-format` forces a format.
#[test]
fn standard_input_is_told_by_its_first_line() {
    let csv = format!("id,date,text\nc1,2020-06-23,\"{TEXT}\"\nc2,2020-06-24,\"{TEXT}\"\n");
    let tsv = format!("id\ttext\nt1\t{TEXT}\n");
    for (input, ids) in [(csv, vec!["c1", "c2"]), (tsv, vec!["t1"])] {
        let output = run_with_stdin(&["extract", "-", "-o", "-"], Some(input.as_bytes()));
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        let records = lines(&String::from_utf8(output.stdout).unwrap());
        let got: Vec<&str> = records.iter().map(|r| r["id"].as_str().unwrap()).collect();
        assert_eq!(got, ids);
    }
    let prose = format!("{TEXT}\n{TEXT}\n{TEXT}\n");
    let output = run_with_stdin(&["extract", "-", "-o", "-"], Some(prose.as_bytes()));
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert_eq!(err.matches("actorgraph: -:").count(), 1, "{err}");
    assert!(
        err.contains("standard input is neither JSON Lines") && err.contains("--input-format"),
        "{err}"
    );
    // A bad first line before JSON objects is that line's problem only.
    let mixed = format!("not json\n{}\n", json!({"id": "j1", "text": TEXT}));
    let output = run_with_stdin(&["extract", "-", "-o", "-"], Some(mixed.as_bytes()));
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("-:1: not an article"),
        "{}",
        stderr(&output)
    );
    assert_eq!(lines(&String::from_utf8(output.stdout).unwrap()).len(), 1);
    let output = run_with_stdin(
        &["extract", "-", "-o", "-", "--input-format", "txt"],
        Some(prose.as_bytes()),
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let records = lines(&String::from_utf8(output.stdout).unwrap());
    assert_eq!(records.len(), 1);
    assert_eq!(records[0]["id"], "stdin");
    assert_eq!(records[0]["relations"].as_array().unwrap().len(), 3);
}

/// Spark pipes every partition through `extract - -o - --error-records`, empty ones
/// too: an empty standard input is no article, not an error record, and exit 0.
#[test]
fn an_empty_partition_is_not_an_error() {
    for input in [&b""[..], b"\n  \n"] {
        let output = run_with_stdin(&["extract", "-", "-o", "-", "--error-records"], Some(input));
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        assert!(output.stdout.is_empty(), "{:?}", output.stdout);
        assert!(stderr(&output).contains("0 skipped"), "{}", stderr(&output));
    }
    // A partition of two lines next to the empty ones gives its two records only.
    let two = format!(
        "{}\n{}\n",
        json!({"id": "a", "text": TEXT}),
        json!({"id": "b", "text": TEXT})
    );
    let output = run_with_stdin(
        &["extract", "-", "-o", "-", "--error-records"],
        Some(two.as_bytes()),
    );
    assert_eq!(lines(&String::from_utf8(output.stdout).unwrap()).len(), 2);
}

/// `graph` and `explain` read records as `extract` reads articles: compressed files
/// told by their content, `-` for standard input, and folders (the folder `extract`
/// wrote, or one of record files such as a Spark job's `part-*`).
#[test]
fn records_are_read_from_compressed_files_stdin_and_folders() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    run_ok(&["extract", s(&fixture("gold/libya.jsonl")), "-o", s(&out)]);
    let records = std::fs::read_to_string(out.join("articles.jsonl")).unwrap();
    let edges = std::fs::read_to_string(out.join("edges.csv")).unwrap();
    let all: Vec<&str> = records.lines().collect();
    let (first, second) = all.split_at(all.len() / 2);

    let gz = dir.path().join("records.bin");
    gzip(&gz, records.as_bytes());
    let parts = dir.path().join("parts");
    std::fs::create_dir_all(parts.join("more")).unwrap();
    gzip(
        &parts.join("a.jsonl.gz"),
        format!("{}\n", first.join("\n")).as_bytes(),
    );
    let zst = zstd::encode_all(format!("{}\n", second.join("\n")).as_bytes(), 3).unwrap();
    std::fs::write(parts.join("more").join("part-00001"), zst).unwrap();
    std::fs::write(parts.join("README.md"), "not records").unwrap();
    std::fs::write(parts.join("_SUCCESS"), "").unwrap();

    let graph = |name: &str, input: &Path, stdin: Option<&[u8]>| {
        let target = dir.path().join(name);
        let output = run_with_stdin(&["graph", s(input), "-o", s(&target)], stdin);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        std::fs::read_to_string(target.join("edges.csv")).unwrap()
    };
    assert_eq!(graph("from-gz", &gz, None), edges);
    assert_eq!(graph("from-out", &out, None), edges);
    assert_eq!(graph("from-parts", &parts, None), edges);
    assert_eq!(
        graph("from-stdin", Path::new("-"), Some(records.as_bytes())),
        edges
    );

    let explain = |input: &Path| run_ok(&["explain", s(input)]).stdout;
    assert_eq!(explain(&parts), explain(&out.join("articles.jsonl")));
    assert!(String::from_utf8(explain(&gz)).unwrap().contains("rule "));

    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let output = run_with_stdin(&["graph", s(&empty), "-o", s(&dir.path().join("x"))], None);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("a folder without records"),
        "{}",
        stderr(&output)
    );
}
