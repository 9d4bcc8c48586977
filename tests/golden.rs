//! The output contract held by bytes: each case runs the binary and compares every file it
//! writes (or its stdout) with the files checked in under tests/golden/CASE/.
//!
//! A change to any output byte fails here first. When the change is meant, rewrite the
//! golden files with `UPDATE_GOLDEN=1 cargo test --test golden` and commit them with the
//! change, so that the diff shows a reviewer exactly what moved (docs/CONTRACT.md).

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use common::{fixture, run_ok};

/// Where the golden files live.
fn golden_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("golden")
}

fn updating() -> bool {
    std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v != "0")
}

/// Every regular file under `dir`, by its path relative to `dir`.
fn files_under(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        let Ok(entries) = fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let name = path
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                files.insert(name, fs::read(&path).unwrap());
            }
        }
    }
    files
}

/// Compares `actual` with the golden files of `case`, or rewrites them under UPDATE_GOLDEN.
fn check(case: &str, actual: BTreeMap<String, Vec<u8>>) {
    let dir = golden_root().join(case);
    if updating() {
        let _ = fs::remove_dir_all(&dir);
        for (name, bytes) in &actual {
            let path = dir.join(name);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, bytes).unwrap();
        }
        return;
    }
    let expected = files_under(&dir);
    assert!(
        !expected.is_empty(),
        "no golden files for case {case} in {}: run UPDATE_GOLDEN=1 cargo test --test golden",
        dir.display()
    );
    let names = |files: &BTreeMap<String, Vec<u8>>| files.keys().cloned().collect::<Vec<_>>();
    assert_eq!(
        names(&actual),
        names(&expected),
        "case {case}: the files written differ"
    );
    for (name, bytes) in &actual {
        if bytes != &expected[name] {
            let (got, want) = (
                String::from_utf8_lossy(bytes),
                String::from_utf8_lossy(&expected[name]),
            );
            let line = got
                .lines()
                .zip(want.lines())
                .position(|(a, b)| a != b)
                .map_or(got.lines().count().min(want.lines().count()), |i| i);
            panic!(
                "case {case}: {name} differs from tests/golden/{case}/{name} at line {}\n  got:  {:?}\n  want: {:?}\n\
                 (if the change is meant: UPDATE_GOLDEN=1 cargo test --test golden, and commit the diff)",
                line + 1,
                got.lines().nth(line).unwrap_or("<end of file>"),
                want.lines().nth(line).unwrap_or("<end of file>"),
            );
        }
    }
}

/// Runs `extract` with `args` into a fresh folder and returns what it wrote.
fn extract(args: &[&str]) -> BTreeMap<String, Vec<u8>> {
    let out = tempfile::tempdir().unwrap();
    let outdir = out.path().join("out");
    let mut full = vec!["extract"];
    full.extend_from_slice(args);
    full.extend_from_slice(&["-o", outdir.to_str().unwrap()]);
    run_ok(&full);
    files_under(&outdir)
}

fn path(name: &str) -> String {
    fixture(name).to_str().unwrap().to_owned()
}

#[test]
fn seed_article() {
    check(
        "seed",
        extract(&[&path("seed-article.jsonl"), "--threads", "1"]),
    );
}

#[test]
fn gold_set_at_one_and_two_threads() {
    let gold = path("gold");
    check("gold", extract(&[&gold, "--threads", "1"]));
    check("gold", extract(&[&gold, "--threads", "2"]));
}

#[test]
fn gold_set_for_excel() {
    check(
        "gold-excel",
        extract(&[&path("gold"), "--excel", "--labels", "ar"]),
    );
}

#[test]
fn gold_set_filtered() {
    let gold = path("gold");
    let args = [
        gold.as_str(),
        "--kinds",
        "meets,supports",
        "--min-weight",
        "1",
        "--top",
        "12",
        "--since",
        "2018-01-01",
        "--labels",
        "en",
    ];
    check("gold-filtered", extract(&args));
}

#[test]
fn records_regraphed() {
    let records = extract(&[&path("gold"), "--threads", "2"]);
    let dir = tempfile::tempdir().unwrap();
    let articles = dir.path().join("articles.jsonl");
    fs::write(&articles, &records["articles.jsonl"]).unwrap();
    let outdir = dir.path().join("graph");
    run_ok(&[
        "graph",
        articles.to_str().unwrap(),
        "-o",
        outdir.to_str().unwrap(),
        "--around",
        "sarraj",
    ]);
    check("gold-graph-around", files_under(&outdir));
    let explained = run_ok(&["explain", articles.to_str().unwrap(), "--kinds", "supports"]);
    check(
        "gold-explain",
        BTreeMap::from([("stdout.txt".to_owned(), explained.stdout)]),
    );
}

#[test]
fn gazetteer_dump() {
    let dump = run_ok(&["gazetteer", "dump"]);
    check(
        "gazetteer-dump",
        BTreeMap::from([("stdout.tsv".to_owned(), dump.stdout)]),
    );
}

/// The subcommands a help text lists under "Commands:", but `help` itself.
fn subcommands(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|line| !line.starts_with("Commands:"))
        .skip(1)
        .take_while(|line| line.starts_with("  "))
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_owned)
        .collect()
}

/// Every `--help` of every subcommand, found by walking the help texts themselves, so that
/// a new subcommand is held too.
#[test]
fn every_help_text() {
    let mut texts = BTreeMap::new();
    let mut pending = vec![Vec::<String>::new()];
    while let Some(command) = pending.pop() {
        let mut args: Vec<&str> = command.iter().map(String::as_str).collect();
        args.push("--help");
        let help = String::from_utf8(run_ok(&args).stdout).unwrap();
        for sub in subcommands(&help) {
            let mut child = command.clone();
            child.push(sub);
            pending.push(child);
        }
        let name = if command.is_empty() {
            "actorgraph".to_owned()
        } else {
            format!("actorgraph-{}", command.join("-"))
        };
        texts.insert(format!("{name}.txt"), help.into_bytes());
    }
    assert!(texts.len() > 8, "the walk found only {:?}", texts.keys());
    check("help", texts);
}

/// Standard error with the run's own folder named DIR and its speed masked, so that the
/// shapes of the messages and the summary are held, not the timing.
fn masked_stderr(stderr: &[u8], dir: &Path) -> String {
    let text = String::from_utf8_lossy(stderr).replace(dir.to_str().unwrap(), "DIR");
    text.lines()
        .map(
            |line| match (line.find(" MB of text at "), line.find(" MB/s")) {
                (Some(at), Some(end)) if at < end => {
                    format!("{} MB of text at (speed){}", &line[..at], &line[end + 5..])
                }
                _ => line.to_owned(),
            },
        )
        .map(|line| line + "\n")
        .collect()
}

/// Bad input and bad arguments: the exit status, stderr's messages and errors.csv.
#[test]
fn errors_and_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("bad.jsonl");
    fs::write(
        &input,
        b"{\"id\":\"a\",\"text\":\"\xd8\xa7\xd9\x84\xd8\xaa\xd9\x82\xd9\x89 \xd8\xa7\xd9\x84\xd8\xb3\xd8\xb1\xd8\xa7\xd8\xac \xd8\xaa\xd8\xa8\xd9\x88\xd9\x86\"}\n{bad\n\xff\xfe\n{\"id\":\"b\",\"date\":\"2020-13-01\",\"text\":\"x\"}\n",
    )
    .unwrap();
    let rules = dir.path().join("broken.tsv");
    fs::write(&rules, "id\tsurface\tlang\n").unwrap();
    let outdir = dir.path().join("out");
    let (input, outdir, rules) = (
        input.to_str().unwrap(),
        outdir.to_str().unwrap(),
        rules.to_str().unwrap(),
    );
    let runs: [(&str, Vec<&str>); 4] = [
        (
            "skipped",
            vec!["extract", input, "-o", outdir, "--threads", "1"],
        ),
        (
            "missing-input",
            vec!["extract", "no-such-file.jsonl", "-o", outdir],
        ),
        (
            "broken-gazetteer",
            vec!["gazetteer", "check", "--gazetteer", rules],
        ),
        (
            "bad-filter",
            vec!["extract", input, "-o", outdir, "--kinds", "likes"],
        ),
    ];
    let mut files = BTreeMap::new();
    for (name, args) in runs {
        let output = common::run_with_stdin(&args, None);
        let report = format!(
            "exit status: {:?}\n{}",
            output.status.code(),
            masked_stderr(&output.stderr, dir.path())
        );
        files.insert(format!("{name}.stderr.txt"), report.into_bytes());
    }
    let errors = fs::read_to_string(dir.path().join("out/errors.csv")).unwrap();
    files.insert(
        "errors.csv".to_owned(),
        errors
            .replace(dir.path().to_str().unwrap(), "DIR")
            .into_bytes(),
    );
    check("errors", files);
}
