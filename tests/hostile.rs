//! Hostile input: every kind of broken article or file, generated here, is reported
//! with its file (and line), skipped or repaired, and the good articles around it
//! survive. Interrupted and failed runs leave the previous outputs whole.
//!
//! The reader is tested directly (fast, one case per test) and the binary end to end
//! (exit status, stderr, errors.csv, the outputs and their atomic replacement).

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use actorgraph::Inputs;
use actorgraph::run::input::Item;

mod common;
use common::{bin, stderr};

// ---------------------------------------------------------------------------------
// Helpers

/// What the reader made of some inputs: article ids in order, and every problem as
/// it prints (`FILE:LINE: message`), with `[warning]` for repaired articles.
struct Read {
    ids: Vec<String>,
    problems: Vec<String>,
    articles: Vec<actorgraph::Article>,
}

fn read(paths: &[&Path], limit: Option<usize>) -> Read {
    let paths: Vec<PathBuf> = paths.iter().map(|p| p.to_path_buf()).collect();
    let mut inputs = Inputs::new(&paths);
    if let Some(limit) = limit {
        inputs = inputs.max_article_bytes(limit);
    }
    let mut result = Read {
        ids: Vec::new(),
        problems: Vec::new(),
        articles: Vec::new(),
    };
    for item in inputs {
        match item {
            Item::Article {
                article, warnings, ..
            } => {
                for w in warnings {
                    assert!(w.recovered);
                    result.problems.push(format!("[warning] {w}"));
                }
                result.ids.push(article.id.clone());
                result.articles.push(article);
            }
            Item::Problem(p) => result.problems.push(if p.recovered {
                format!("[warning] {p}")
            } else {
                p.to_string()
            }),
        }
    }
    result
}

/// Asserts that one problem starts with `prefix` (file and line) and contains `text`.
fn assert_problem(problems: &[String], prefix: &str, text: &str) {
    assert!(
        problems
            .iter()
            .any(|p| p.starts_with(prefix) && p.contains(text)),
        "no problem `{prefix}…{text}` in {problems:#?}"
    );
}

fn article_line(id: &str, text: &str) -> String {
    format!("{}\n", serde_json::json!({"id": id, "text": text}))
}

const GOOD_TEXT: &str = "استقبل الرئيس تبون فائز السراج في الجزائر.";

/// Bytes that look like a binary file: a PNG header and pseudo-random bytes with NULs.
fn binary_bytes(len: usize) -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    let mut state: u32 = 0x2545_F491;
    while bytes.len() < len {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        bytes.push((state >> 24) as u8);
    }
    bytes
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(data).unwrap();
    encoder.finish().unwrap()
}

fn run(args: &[&str]) -> Output {
    common::run_with_stdin(args, None)
}

fn ids(out: &Path) -> Vec<String> {
    std::fs::read_to_string(out.join("articles.jsonl"))
        .unwrap()
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

/// The rows of OUTDIR/errors.csv: (file, line, action, message).
fn errors_csv(out: &Path) -> Vec<(String, String, String, String)> {
    let mut reader = csv::Reader::from_path(out.join("errors.csv")).unwrap();
    assert_eq!(
        reader.headers().unwrap(),
        vec!["file", "line", "action", "message"]
    );
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (
                r[0].to_string(),
                r[1].to_string(),
                r[2].to_string(),
                r[3].to_string(),
            )
        })
        .collect()
}

/// A clean run's outputs in DIR/out, from one good article in DIR/good.jsonl: the
/// input, the output folder and its snapshot, for tests of what later runs leave.
fn good_outputs(dir: &Path) -> (PathBuf, PathBuf, BTreeMap<String, Vec<u8>>) {
    let good = dir.join("good.jsonl");
    std::fs::write(&good, article_line("g", GOOD_TEXT)).unwrap();
    let out = dir.join("out");
    let output = run(&[
        "extract",
        good.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let before = snapshot(&out);
    (good, out, before)
}

/// Every entry of a folder, name → content (folders: empty).
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let content = if e.path().is_dir() {
                Vec::new()
            } else {
                std::fs::read(e.path()).unwrap()
            };
            (e.file_name().to_string_lossy().into_owned(), content)
        })
        .collect()
}

const OUTPUTS: &[&str] = &[
    "articles.jsonl",
    "mentions.csv",
    "relations.csv",
    "nodes.csv",
    "edges.csv",
    "unknown.csv",
    "graph.dot",
    "graph.graphml",
    "graph.gexf",
    "errors.csv",
];

// ---------------------------------------------------------------------------------
// The reader, one hostile case at a time

#[test]
fn bad_lines_are_reported_by_file_and_line_and_the_rest_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dump.jsonl");
    let mut data = Vec::new();
    data.extend(article_line("before", GOOD_TEXT).as_bytes());
    data.extend(b"not json at all\n");
    data.extend(b"{\"id\": true, \"text\": \"x\"}\n");
    data.extend(b"{\"id\": \"t\"}\n");
    data.extend(b"{\"id\": \"n\", \"text\": 12}\n");
    data.extend(b"{\"id\": \"\", \"text\": \"x\"}\n");
    data.extend(b"{\"id\": \"raw\", \"text\": \"a\0b\"}\n");
    data.extend(b"{\"id\": \"esc\", \"text\": \"a\\u0000b\"}\n");
    data.extend(b"{\"id\": \"utf\", \"text\": \"a\xFF\xFEb\"}\n");
    data.extend(b"{\"id\": \"dt\", \"date\": 20200623, \"title\": 5, \"text\": \"x\"}\n");
    data.extend(b"[{\"id\": \"arr\", \"text\": \"x\"}]\n");
    data.extend(b"{\"id\": \"tab\", \"text\": \"a\tb\"}\n");
    data.extend(b"\n   \n");
    data.extend(b"{\"id\": \"after\", \"text\": \"x\"}\r\n");
    std::fs::write(&path, data).unwrap();

    let r = read(&[&path], None);
    assert_eq!(r.ids, ["before", "esc", "utf", "dt", "tab", "after"]);
    let p = &r.problems;
    let file = dir.path().join("dump.jsonl").display().to_string();
    let at = |line: usize| format!("{file}:{line}: ");
    assert_problem(p, &at(2), "not an article (expected ident");
    assert_problem(
        p,
        &at(3),
        "`id` is a boolean, not a string or a whole number",
    );
    assert_problem(p, &at(4), "no text field (`text`, `body` or `content`)");
    assert_problem(p, &at(5), "`text` is a number, not a string");
    assert_problem(p, &at(6), "`id` is empty");
    assert_problem(p, &at(7), "raw NUL byte at column 25");
    assert_problem(
        p,
        &format!("[warning] {}", at(9)),
        "invalid UTF-8 at column 25",
    );
    assert_problem(p, &format!("[warning] {}", at(10)), "`date` is a number");
    assert_problem(p, &format!("[warning] {}", at(10)), "`title` is a number");
    assert_problem(p, &at(11), "a JSON array, not an object");
    assert_problem(
        p,
        &format!("[warning] {}", at(12)),
        "raw control characters",
    );
    assert_eq!(p.len(), 11, "{p:#?}");

    let text = |id: &str| &r.articles.iter().find(|a| a.id == id).unwrap().text;
    assert_eq!(text("esc"), "a\0b", "an escaped NUL is text");
    assert_eq!(
        text("utf"),
        "a\u{FFFD}\u{FFFD}b",
        "invalid UTF-8 is decoded lossily"
    );
    assert_eq!(text("tab"), "a\tb");
    assert_eq!(r.articles[3].date, None);
    assert_eq!(r.articles[3].title, None);
}

#[test]
fn empty_files_are_reported_and_their_neighbours_read() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("in");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("a.jsonl"), article_line("a", GOOD_TEXT)).unwrap();
    std::fs::write(folder.join("b-empty.jsonl"), "").unwrap();
    std::fs::write(folder.join("c-blank.jsonl"), "\n  \n\r\n").unwrap();
    std::fs::write(folder.join("d-empty.txt"), " \n").unwrap();
    std::fs::write(folder.join("e.txt"), GOOD_TEXT).unwrap();
    std::fs::write(folder.join("f-empty.jsonl.gz"), gzip(b"")).unwrap();

    let r = read(&[&folder], None);
    assert_eq!(r.ids, ["a", "e"]);
    let f = |name: &str| format!("{}: ", folder.join(name).display());
    assert_problem(&r.problems, &f("b-empty.jsonl"), "empty file");
    assert_problem(&r.problems, &f("c-blank.jsonl"), "empty file");
    assert_problem(&r.problems, &f("d-empty.txt"), "empty file");
    assert_problem(&r.problems, &f("f-empty.jsonl.gz"), "empty file");
    assert_eq!(r.problems.len(), 4, "{:#?}", r.problems);
}

#[test]
fn a_truncated_gzip_keeps_the_articles_before_the_cut() {
    let dir = tempfile::tempdir().unwrap();
    let lines: String = (0..200)
        .map(|i| article_line(&format!("g{i:03}"), &GOOD_TEXT.repeat(5)))
        .collect();
    let whole = gzip(lines.as_bytes());
    let cut = dir.path().join("cut.jsonl.gz");
    std::fs::write(&cut, &whole[..whole.len() / 2]).unwrap();
    let no_trailer = dir.path().join("no-trailer.jsonl.gz");
    std::fs::write(&no_trailer, &whole[..whole.len() - 4]).unwrap();
    let after = dir.path().join("after.jsonl");
    std::fs::write(&after, article_line("after", GOOD_TEXT)).unwrap();

    let r = read(&[&cut, &after], None);
    let kept = r.ids.len() - 1;
    assert!(kept > 0 && kept < 200, "{kept} articles before the cut");
    let expected: Vec<String> = (0..kept).map(|i| format!("g{i:03}")).collect();
    assert_eq!(
        r.ids[..kept],
        expected[..],
        "every article before the cut, in order"
    );
    assert_eq!(r.ids[kept], "after", "the next file is read");
    assert_eq!(r.problems.len(), 1, "{:#?}", r.problems);
    assert_problem(
        &r.problems,
        &format!("{}:{}: ", cut.display(), kept + 1),
        "the gzip stream is cut short or corrupt",
    );

    let r = read(&[&no_trailer], None);
    assert_eq!(
        r.ids.len(),
        200,
        "all articles are complete, only the trailer is cut"
    );
    assert_problem(
        &r.problems,
        &format!("{}:201: ", no_trailer.display()),
        "cut short or corrupt",
    );

    // Not gzip at all, behind gzip's magic bytes: reported at line 1, nothing read.
    let fake = dir.path().join("fake.jsonl.gz");
    std::fs::write(&fake, b"\x1f\x8bnot really gzip").unwrap();
    let r = read(&[&fake], None);
    assert!(r.ids.is_empty());
    assert_problem(
        &r.problems,
        &format!("{}:1: ", fake.display()),
        "cannot decompress",
    );
}

#[test]
fn binary_and_foreign_files_in_a_folder_are_skipped_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("in");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("a.jsonl"), article_line("a", GOOD_TEXT)).unwrap();
    std::fs::write(folder.join("b-binary.jsonl"), binary_bytes(4096)).unwrap();
    std::fs::write(folder.join("c-binary.txt"), binary_bytes(300)).unwrap();
    std::fs::write(folder.join("d-picture.png"), binary_bytes(300)).unwrap();
    // zstd is told by its magic bytes, whatever the name says.
    std::fs::write(
        folder.join("e-packed.jsonl"),
        zstd::encode_all(article_line("e", GOOD_TEXT).as_bytes(), 3).unwrap(),
    )
    .unwrap();
    let utf16: Vec<u8> = std::iter::once(0xFEFF_u16)
        .chain("{\"id\":\"u\",\"text\":\"x\"}\n".encode_utf16())
        .flat_map(u16::to_le_bytes)
        .collect();
    std::fs::write(folder.join("f-utf16.jsonl"), utf16).unwrap();
    std::fs::write(
        folder.join("g-array.json"),
        b"[\n{\"id\":\"x\",\"text\":\"y\"}\n]\n",
    )
    .unwrap();
    std::fs::write(
        folder.join("h-pretty.json"),
        b"{\n  \"id\": \"x\",\n  \"text\": \"y\"\n}\n",
    )
    .unwrap();
    std::fs::write(folder.join("i-notes"), b"no extension").unwrap();
    std::fs::write(
        folder.join("j-dump.jsonl.zst"),
        zstd::encode_all(article_line("j", GOOD_TEXT).as_bytes(), 3).unwrap(),
    )
    .unwrap();
    std::fs::write(folder.join("l-cut.jsonl.zst"), b"\x28\xB5\x2F\xFD").unwrap();
    std::fs::write(folder.join("m-dump.jsonl.xz"), b"\xFD7zXZ\x00\x00").unwrap();
    std::fs::write(folder.join(".hidden.jsonl"), b"\0\0\0").unwrap();
    std::fs::write(
        folder.join("k-bom.jsonl"),
        format!("\u{FEFF}{}", article_line("bom", GOOD_TEXT)),
    )
    .unwrap();
    std::fs::write(folder.join("z.txt"), GOOD_TEXT).unwrap();

    let r = read(&[&folder], None);
    assert_eq!(r.ids, ["a", "e", "j", "bom", "z"]);
    let f = |name: &str| format!("{}: ", folder.join(name).display());
    let p = &r.problems;
    assert_problem(p, &f("b-binary.jsonl"), "binary file, not JSON Lines");
    assert_problem(p, &f("c-binary.txt"), "binary file (NUL bytes)");
    assert_problem(p, &f("d-picture.png"), "unknown extension `.png`");
    assert_problem(p, &f("f-utf16.jsonl"), "UTF-16 text");
    assert_problem(p, &f("g-array.json"), "a JSON array, not JSON Lines");
    assert_problem(p, &f("h-pretty.json"), "pretty-printed JSON");
    assert_problem(p, &f("i-notes"), "no extension");
    assert_problem(
        p,
        &format!("{}:1: ", folder.join("l-cut.jsonl.zst").display()),
        "not a complete zstd file",
    );
    assert_problem(p, &f("m-dump.jsonl.xz"), "a compressed file (`.xz`)");
    assert_eq!(p.len(), 9, "hidden files are not read: {p:#?}");
}

#[test]
fn unreadable_entries_in_a_folder_are_skipped_and_nothing_hangs() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("in");
    std::fs::create_dir_all(folder.join("sub")).unwrap();
    std::fs::write(folder.join("a.jsonl"), article_line("a", GOOD_TEXT)).unwrap();
    std::fs::write(folder.join("sub/b.jsonl"), article_line("b", GOOD_TEXT)).unwrap();
    std::os::unix::fs::symlink("nowhere.jsonl", folder.join("sub/broken.jsonl")).unwrap();
    std::os::unix::fs::symlink("..", folder.join("sub/loop")).unwrap();
    std::os::unix::fs::symlink("../sub", folder.join("sub/again")).unwrap();
    // A FIFO would block a reader that opened it.
    let fifo = Command::new("mkfifo")
        .arg(folder.join("sub/fifo.jsonl"))
        .status()
        .is_ok_and(|s| s.success());
    // Unreadable for ordinary users (root reads it anyway).
    let locked = folder.join("sub/locked.jsonl");
    std::fs::write(&locked, article_line("locked", GOOD_TEXT)).unwrap();
    std::fs::set_permissions(&locked, std::os::unix::fs::PermissionsExt::from_mode(0o000)).unwrap();
    let locked_out = std::fs::File::open(&locked).is_err();
    std::fs::write(folder.join("z.txt"), GOOD_TEXT).unwrap();

    let r = read(&[&folder], None);
    let mut expected = vec!["a", "b"];
    if !locked_out {
        expected.push("locked");
    }
    expected.push("z");
    assert_eq!(
        r.ids, expected,
        "each folder is read once: {:#?}",
        r.problems
    );
    let f = |name: &str| format!("{}: ", folder.join(name).display());
    let p = &r.problems;
    assert_problem(p, &f("sub/broken.jsonl"), "broken symbolic link");
    assert_problem(
        p,
        &format!("[warning] {}", f("sub/loop")),
        "folder already read",
    );
    assert_problem(
        p,
        &format!("[warning] {}", f("sub/again")),
        "folder already read",
    );
    if fifo {
        assert_problem(p, &f("sub/fifo.jsonl"), "not a regular file");
    }
    if locked_out {
        assert_problem(p, &f("sub/locked.jsonl"), "cannot open");
    }
}

#[test]
fn the_size_limit_applies_to_lines_and_to_txt_files() {
    let dir = tempfile::tempdir().unwrap();
    let jsonl = dir.path().join("d.jsonl");
    let long = article_line("long", &"س".repeat(200));
    std::fs::write(
        &jsonl,
        format!("{}{long}{}", article_line("a", "x"), article_line("b", "y")),
    )
    .unwrap();
    let big_txt = dir.path().join("big.txt");
    std::fs::write(&big_txt, "س".repeat(200)).unwrap();
    let small_txt = dir.path().join("small.txt");
    std::fs::write(&small_txt, "سس").unwrap();
    let big_gz_txt = dir.path().join("big-gz.txt.gz");
    std::fs::write(&big_gz_txt, gzip("س".repeat(200).as_bytes())).unwrap();

    let r = read(&[&jsonl, &big_txt, &small_txt, &big_gz_txt], Some(100));
    assert_eq!(r.ids, ["a", "b", "small"]);
    assert_problem(
        &r.problems,
        &format!("{}:2: ", jsonl.display()),
        &format!(
            "line of {} bytes is over the limit of 100 bytes",
            long.len() - 1
        ),
    );
    assert_problem(
        &r.problems,
        &format!("{}: ", big_txt.display()),
        "file of 400 bytes is over the limit of 100 bytes",
    );
    assert_problem(
        &r.problems,
        &format!("{}: ", big_gz_txt.display()),
        "over the limit of 100 bytes",
    );
}

// ---------------------------------------------------------------------------------
// The binary, end to end

/// A folder with one of each kind of trouble and good articles around them.
fn hostile_folder(root: &Path) -> PathBuf {
    let folder = root.join("dump");
    std::fs::create_dir_all(folder.join("sub")).unwrap();
    let mut lines = Vec::new();
    lines.extend(article_line("a1", GOOD_TEXT).into_bytes());
    lines.extend(b"{\"id\": 7.5, \"text\": \"x\"}\n");
    lines.extend(b"{\"id\": \"nul\", \"text\": \"a\0b\"}\n");
    lines.extend(
        b"{\"id\": \"a2\", \"text\": \"\xD8\xB2\xD9\x8A\xFF \\u0000 \xD8\xA7\xD8\xB1\xD8\xA9\"}\n",
    );
    lines.extend(
        article_line(
            "a3",
            "زيارة السراج للجزائر؛ التحالف بين حكومة الوفاق والدولة التركية.",
        )
        .into_bytes(),
    );
    std::fs::write(folder.join("a.jsonl"), lines).unwrap();
    let gz: String = (0..50)
        .map(|i| article_line(&format!("b{i:02}"), GOOD_TEXT))
        .collect();
    let gz = gzip(gz.as_bytes());
    std::fs::write(folder.join("b.jsonl.gz"), &gz[..gz.len() * 3 / 4]).unwrap();
    std::fs::write(folder.join("c.jsonl"), binary_bytes(2048)).unwrap();
    std::fs::write(folder.join("d.txt"), binary_bytes(100)).unwrap();
    std::fs::write(folder.join("e.jsonl"), b"").unwrap();
    std::fs::write(folder.join("f.md"), b"# notes").unwrap();
    std::fs::write(folder.join("sub/g.txt"), GOOD_TEXT).unwrap();
    folder
}

#[test]
fn a_hostile_folder_end_to_end_at_any_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let folder = hostile_folder(dir.path());
    let one = dir.path().join("one");
    let three = dir.path().join("three");
    let output = run(&[
        "extract",
        folder.to_str().unwrap(),
        "-o",
        one.to_str().unwrap(),
        "--threads",
        "1",
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let err = stderr(&output);
    let f = |name: &str| folder.join(name).display().to_string();
    for expected in [
        format!(
            "actorgraph: {}:2: `id` is a number with a fraction, not a string or a whole number",
            f("a.jsonl")
        ),
        format!("actorgraph: {}:3: raw NUL byte", f("a.jsonl")),
        format!("actorgraph: {}:4: invalid UTF-8 at column 27", f("a.jsonl")),
        format!("actorgraph: {}: binary file, not JSON Lines", f("c.jsonl")),
        format!("actorgraph: {}: binary file (NUL bytes)", f("d.txt")),
        format!("actorgraph: {}: empty file", f("e.jsonl")),
        format!("actorgraph: {}: unknown extension `.md`", f("f.md")),
    ] {
        assert!(err.contains(&expected), "no `{expected}` in\n{err}");
    }
    let gz_line = err
        .lines()
        .find(|l| l.contains("b.jsonl.gz:"))
        .expect("the truncated gzip is reported");
    assert!(
        gz_line.contains("the gzip stream is cut short"),
        "{gz_line}"
    );

    let ids = ids(&one);
    let gz_kept = ids.iter().filter(|id| id.starts_with('b')).count();
    assert!(gz_kept > 0 && gz_kept < 50, "{ids:?}");
    assert_eq!(ids[..3], ["a1", "a2", "a3"]);
    assert_eq!(
        ids.last().unwrap(),
        "g",
        "the sub-folder is read after the cut file"
    );
    assert!(
        gz_line.contains(&format!("b.jsonl.gz:{}: ", gz_kept + 1)),
        "{gz_line}"
    );
    let summary = err.lines().last().unwrap();
    assert!(
        summary.contains(&format!("{} articles", 4 + gz_kept))
            && summary.contains("7 skipped")
            && summary.contains("1 warning;"),
        "{summary}"
    );

    let rows = errors_csv(&one);
    let keys: Vec<(String, String, String)> = rows
        .iter()
        .map(|(file, line, action, _)| (file.clone(), line.clone(), action.clone()))
        .collect();
    let row =
        |name: &str, line: &str, action: &str| (f(name), line.to_string(), action.to_string());
    assert_eq!(
        keys,
        [
            row("a.jsonl", "2", "skipped"),
            row("a.jsonl", "3", "skipped"),
            row("a.jsonl", "4", "warning"),
            row("b.jsonl.gz", &(gz_kept + 1).to_string(), "skipped"),
            row("c.jsonl", "", "skipped"),
            row("d.txt", "", "skipped"),
            row("e.jsonl", "", "skipped"),
            row("f.md", "", "skipped"),
        ]
    );

    // Same input, same bytes, whatever the thread count, problems included.
    let output = run(&[
        "extract",
        folder.to_str().unwrap(),
        "-o",
        three.to_str().unwrap(),
        "--threads",
        "3",
    ]);
    assert_eq!(output.status.code(), Some(1));
    for name in OUTPUTS {
        assert_eq!(
            std::fs::read(one.join(name)).unwrap(),
            std::fs::read(three.join(name)).unwrap(),
            "{name} differs between --threads 1 and --threads 3"
        );
    }
}

#[test]
fn a_50_mb_line_is_skipped_and_its_neighbours_kept() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("big.jsonl");
    {
        // Written in 1 MB pieces: the test never holds the line either.
        let mut file = std::io::BufWriter::new(std::fs::File::create(&input).unwrap());
        file.write_all(article_line("before", GOOD_TEXT).as_bytes())
            .unwrap();
        file.write_all(b"{\"id\": \"huge\", \"text\": \"").unwrap();
        let piece = "ن".repeat(512 * 1024);
        for _ in 0..50 {
            file.write_all(piece.as_bytes()).unwrap();
        }
        file.write_all(b"\"}\n").unwrap();
        file.write_all(article_line("after", GOOD_TEXT).as_bytes())
            .unwrap();
    }
    let huge_len = 50 * 1024 * 1024 + "{\"id\": \"huge\", \"text\": \"\"}".len();
    let out = dir.path().join("out");
    let output = run(&[
        "extract",
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let expected = format!(
        "{}:2: line of {huge_len} bytes is over the limit of 10485760 bytes",
        input.display()
    );
    assert!(stderr(&output).contains(&expected), "{}", stderr(&output));
    assert_eq!(ids(&out), ["before", "after"]);
    let rows = errors_csv(&out);
    assert_eq!(rows.len(), 1);
    assert_eq!((rows[0].1.as_str(), rows[0].2.as_str()), ("2", "skipped"));
}

#[test]
fn warnings_alone_exit_0_and_a_clean_run_writes_a_header_only_errors_csv() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("w.jsonl");
    std::fs::write(
        &input,
        b"{\"id\": \"w\", \"date\": \"June 2020\", \"text\": \"\xD8\xB3\xFF\"}\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let output = run(&[
        "extract",
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let rows = errors_csv(&out);
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(rows.iter().all(|r| r.1 == "1" && r.2 == "warning"));
    assert_eq!(ids(&out), ["w"]);

    let clean = dir.path().join("clean.jsonl");
    std::fs::write(&clean, article_line("c", GOOD_TEXT)).unwrap();
    let output = run(&[
        "extract",
        clean.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        std::fs::read_to_string(out.join("errors.csv")).unwrap(),
        "file,line,action,message\n"
    );
    let names: Vec<String> = snapshot(&out).into_keys().collect();
    assert_eq!(names.len(), OUTPUTS.len(), "no leftovers: {names:?}");
}

#[test]
fn bad_arguments_exit_2_and_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.jsonl");
    std::fs::write(&good, article_line("g", GOOD_TEXT)).unwrap();
    let out = dir.path().join("out");
    let missing = dir.path().join("missing.jsonl");
    let output = run(&[
        "extract",
        good.to_str().unwrap(),
        missing.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains(&format!("{}: No such file or directory", missing.display())),
        "{}",
        stderr(&output)
    );
    assert!(!out.exists(), "nothing is written when nothing can be done");
    for bad in [["--threads", "100000"], ["--max-article-bytes", "0"]] {
        let output = run(&[
            "extract",
            good.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            bad[0],
            bad[1],
        ]);
        assert_eq!(output.status.code(), Some(2), "{bad:?}");
        assert!(!out.exists());
    }
}

#[test]
fn a_failed_run_leaves_the_previous_outputs_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let (good, out, before) = good_outputs(dir.path());

    let broken = dir.path().join("broken.tsv");
    std::fs::write(
        &broken,
        "id\ttype\tname_ar\tlabel_en\tcountry\taliases\nx\tPER\n",
    )
    .unwrap();
    let output = run(&[
        "extract",
        good.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--gazetteer",
        broken.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("broken.tsv:2:3: `name_ar` is empty"),
        "{}",
        stderr(&output)
    );
    assert_eq!(
        snapshot(&out),
        before,
        "previous outputs untouched, no leftovers"
    );

    // OUTDIR is a file: nothing can be written, nothing is.
    let file_out = dir.path().join("a-file");
    std::fs::write(&file_out, "x").unwrap();
    let output = run(&[
        "extract",
        good.to_str().unwrap(),
        "-o",
        file_out.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(std::fs::read(&file_out).unwrap(), b"x");
}

/// A run killed in the middle (SIGKILL: no clean-up code runs, the hardest case of
/// Ctrl-C) leaves the previous outputs whole and byte for byte; its partial outputs
/// sit in a hidden folder that the next run removes.
#[test]
fn a_killed_run_leaves_the_previous_outputs_whole() {
    let dir = tempfile::tempdir().unwrap();
    let (good, out, before) = good_outputs(dir.path());

    let mut child = bin()
        .args([
            "extract",
            "-",
            "-o",
            out.to_str().unwrap(),
            "--threads",
            "1",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    // Feed a bad line, then good articles until the pipe breaks: the run cannot end
    // on its own, since its input never does.
    let feeder = std::thread::spawn(move || {
        if stdin.write_all(b"not json\n").is_err() {
            return;
        }
        let line = article_line("s", GOOD_TEXT);
        while stdin.write_all(line.as_bytes()).is_ok() {}
    });
    // The bad line is reported once its chunk is processed: by then the run has
    // started its outputs and written records.
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    while err.read_line(&mut line).unwrap() > 0 && !line.contains("-:1: not an article") {
        line.clear();
    }
    assert!(line.contains("-:1: not an article"), "the run died early");
    child.kill().unwrap();
    child.wait().unwrap();
    feeder.join().unwrap();

    let after = snapshot(&out);
    let visible: BTreeMap<_, _> = after
        .iter()
        .filter(|(name, _)| !name.starts_with('.'))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    assert_eq!(visible, before, "the previous outputs, whole and unchanged");
    let hidden: Vec<&String> = after.keys().filter(|n| n.starts_with('.')).collect();
    assert_eq!(hidden.len(), 1, "{hidden:?}");
    assert!(hidden[0].starts_with(".actorgraph-partial-"), "{hidden:?}");

    let output = run(&[
        "extract",
        good.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(snapshot(&out), before, "the next run clears the leftovers");
}

#[test]
fn gzip_on_standard_input_and_the_graph_command_on_bad_records() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let mut child = bin()
        .args(["extract", "-", "-o", out.to_str().unwrap()])
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let data = format!(
        "{}{}",
        article_line("s1", GOOD_TEXT),
        article_line("s2", GOOD_TEXT)
    );
    child
        .stdin
        .take()
        .unwrap()
        .write_all(&gzip(data.as_bytes()))
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(ids(&out), ["s1", "s2"]);

    // `graph` over records with a broken line and a line that is not UTF-8.
    let records = dir.path().join("records.jsonl");
    let mut bytes = std::fs::read(out.join("articles.jsonl")).unwrap();
    bytes.extend(b"{\"id\": \"half\", \"ment\n\xFF\xFE\n");
    std::fs::write(&records, bytes).unwrap();
    let rebuilt = dir.path().join("rebuilt");
    let output = run(&[
        "graph",
        records.to_str().unwrap(),
        "-o",
        rebuilt.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let err = stderr(&output);
    assert!(
        err.contains("records.jsonl:3: not an article record"),
        "{err}"
    );
    assert!(
        err.contains("records.jsonl:4: not UTF-8 at column 1"),
        "{err}"
    );
    assert_eq!(
        std::fs::read(out.join("edges.csv")).unwrap(),
        std::fs::read(rebuilt.join("edges.csv")).unwrap()
    );
}

#[test]
fn gazetteer_errors_name_file_line_and_column_and_check_lists_shadows() {
    let dir = tempfile::tempdir().unwrap();
    let cases: &[(&str, &[u8], &str)] = &[
        (
            "header.tsv",
            b"id\ttype\tname\tlabel_en\tcountry\taliases\n",
            "header.tsv:1:3: unknown header",
        ),
        (
            "latin1.tsv",
            b"id\ttype\tname_ar\tlabel_en\tcountry\taliases\nx\tPER\t\xE9\tX\t\t\n",
            "latin1.tsv:2:3: the file is not valid UTF-8",
        ),
        (
            "dup.tsv",
            "id\ttype\tname_ar\tlabel_en\tcountry\taliases\nsarraj\tPER\tس\tX\t\t\n".as_bytes(),
            "dup.tsv:2:1: duplicate id `sarraj`, first defined at gazetteers/actors.tsv:",
        ),
    ];
    for (name, content, expected) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, content).unwrap();
        let output = run(&["gazetteer", "check", "--gazetteer", path.to_str().unwrap()]);
        assert_eq!(output.status.code(), Some(2), "{name}");
        assert!(
            stderr(&output).contains(&format!("{}", dir.path().join(expected).display())),
            "want `{expected}`, got {}",
            stderr(&output)
        );
    }

    let mine = dir.path().join("mine.tsv");
    std::fs::write(
        &mine,
        "id\ttype\tname_ar\tlabel_en\tcountry\taliases\n\
         other_sarraj\tPER\tفائز السرّاج\tAnother Sarraj\t\t\n\
         body_a\tORG\tهيئة الاختبار\tBody A\t\t\n\
         body_b\tORG\tهيئه الاختبار\tBody B\t\t\n",
    )
    .unwrap();
    let output = run(&["gazetteer", "check", "--gazetteer", mine.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let report = String::from_utf8_lossy(&output.stdout);
    let mine = mine.display();
    assert!(
        report.contains(&format!(
            "{mine}:2: shadows a built-in surface: «فائز السرّاج» names `sarraj` (Fayez al-Sarraj, gazetteers/actors.tsv:"
        )) && report.contains(&format!("`other_sarraj` (Another Sarraj, {mine}:2)")),
        "{report}"
    );
    assert!(
        report.contains(&format!(
            "{mine}:4: ambiguous: «هيئه الاختبار» names `body_a` (Body A, {mine}:3), `body_b` (Body B, {mine}:4)"
        )),
        "{report}"
    );
}

/// One 2 MB article of each shape that once made relation finding quadratic: a
/// trigger and an actor repeated with no punctuation, a chain of meetings joined by
/// «و», and a long list of co-subjects carried into a sentence of many triggers. Each
/// must be read like any article: in time linear in its size, so this test finishes
/// in seconds, where the quadratic rules took minutes.
#[test]
fn sentences_of_repeated_triggers_and_actors_are_read_in_linear_time() {
    let two_mb = 2 * 1024 * 1024;
    let repeat = |piece: &str, size: usize| piece.repeat(size / piece.len());
    let articles = [
        ("triggers", repeat("دعم تبون السراج ", two_mb)),
        ("meetings", repeat("التقى السراج تبون و", two_mb)),
        (
            "carried",
            repeat("تبون و", two_mb / 2) + ". " + &repeat("وأشاد بالسراج ", two_mb / 2),
        ),
    ];
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("adversarial.jsonl");
    let lines: String = articles
        .iter()
        .map(|(id, text)| article_line(id, text))
        .collect();
    std::fs::write(&input, lines).unwrap();
    let out = dir.path().join("out");
    let output = run(&[
        "extract",
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(ids(&out), ["triggers", "meetings", "carried"]);
    // The rules ran: each shape gives its relation.
    let relations = std::fs::read_to_string(out.join("relations.csv")).unwrap();
    for rule in ["supports.support", "meets.met", "supports.praised"] {
        assert!(relations.contains(rule), "no {rule} in\n{relations}");
    }
}

/// One 2 MB article of each shape that once made resolution quadratic: a title and
/// nisba naming nobody, once a sentence (the slots' covers were found by scanning every
/// mention for every title), and a person followed by «بلاده» ("his country") whose
/// country is never named (each «بلاده» looked back over every mention before it).
/// Read in time linear in their size, they finish in seconds where the scans took
/// minutes; and each repetition still gives its mention.
#[test]
fn articles_of_repeated_titles_and_pronouns_are_resolved_in_linear_time() {
    let two_mb = 2 * 1024 * 1024;
    let pieces = [
        ("titles", "استقبل وزير الخارجية الإيطالي. ", "IT"),
        ("pronouns", "تبون بلاده ", "tebboune"),
    ];
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("adversarial.jsonl");
    let lines: String = pieces
        .iter()
        .map(|(id, piece, _)| article_line(id, &piece.repeat(two_mb / piece.len())))
        .collect();
    std::fs::write(&input, lines).unwrap();
    let out = dir.path().join("out");
    let output = run(&[
        "extract",
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(ids(&out), ["titles", "pronouns"]);
    let mut reader = csv::Reader::from_path(out.join("mentions.csv")).unwrap();
    let mut counts: BTreeMap<(String, String), usize> = BTreeMap::new();
    for row in reader.records() {
        let row = row.unwrap();
        *counts
            .entry((row[0].to_string(), row[6].to_string()))
            .or_default() += 1;
    }
    for (id, piece, entity) in pieces {
        let repeated = two_mb / piece.len();
        assert_eq!(
            counts.get(&(id.to_string(), entity.to_string())),
            Some(&repeated),
            "{id}: {counts:?}"
        );
    }
}

/// Starts `extract - -o OUT` on a pipe, feeds it a bad line and waits until the run
/// has reported it, so that its staging folder is made; returns the child, its stdin
/// (which ends the run when dropped) and the rest of its stderr.
fn live_run(
    out: &Path,
) -> (
    std::process::Child,
    std::process::ChildStdin,
    BufReader<std::process::ChildStderr>,
) {
    let mut child = bin()
        .args([
            "extract",
            "-",
            "-o",
            out.to_str().unwrap(),
            "--threads",
            "1",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(b"not json\n").unwrap();
    // The batch reports a chunk once it is full or the input pauses: enough articles
    // after the bad line fill it.
    let line = article_line("s", GOOD_TEXT);
    for _ in 0..200 {
        stdin.write_all(line.as_bytes()).unwrap();
    }
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    while err.read_line(&mut line).unwrap() > 0 && !line.contains("-:1: not an article") {
        line.clear();
    }
    assert!(line.contains("-:1: not an article"), "the run died early");
    (child, stdin, err)
}

/// Two runs into one OUTDIR: a second run, whether it fails its argument check or
/// would run, leaves the first run's staging folder alone; one that would run says
/// the folder is in use (status 2), and the first run ends as if alone.
#[test]
fn a_second_run_into_a_folder_in_use_says_so_and_breaks_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (good, out, _) = good_outputs(dir.path());
    let (mut first, stdin, mut first_err) = live_run(&out);
    let staging = || {
        snapshot(&out)
            .into_keys()
            .filter(|n| n.starts_with(".actorgraph-partial-"))
            .collect::<Vec<_>>()
    };
    let held = staging();
    assert_eq!(held.len(), 1, "{held:?}");

    // A bad filter: status 2 before OUTDIR is touched.
    let output = run(&[
        "extract",
        good.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--country",
        "XX",
    ]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert_eq!(staging(), held);

    // A good run: the folder is in use, and it says so.
    let output = run(&[
        "extract",
        good.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("another actorgraph run is writing into this output folder"),
        "{}",
        stderr(&output)
    );
    assert_eq!(staging(), held);

    drop(stdin);
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut first_err, &mut rest).unwrap();
    let status = first.wait().unwrap();
    assert_eq!(
        status.code(),
        Some(1),
        "the bad line, and nothing else: {rest}"
    );
    assert_eq!(ids(&out).len(), 200);
    assert!(staging().is_empty());
}

/// A target that cannot be replaced (a folder named nodes.csv): the run fails with
/// status 2 before it moves any output, so OUTDIR keeps the previous outputs, all of
/// them, byte for byte.
#[test]
fn an_output_that_cannot_be_replaced_leaves_every_previous_output() {
    let dir = tempfile::tempdir().unwrap();
    let (_, out, _) = good_outputs(dir.path());
    std::fs::remove_file(out.join("nodes.csv")).unwrap();
    std::fs::create_dir(out.join("nodes.csv")).unwrap();
    let before = snapshot(&out);
    let other = dir.path().join("other.jsonl");
    std::fs::write(
        &other,
        article_line("o", "التقى الرئيس ماكرون فائز السراج في باريس."),
    )
    .unwrap();
    let output = run(&[
        "extract",
        other.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("nodes.csv: a folder is in the way of this output"),
        "{}",
        stderr(&output)
    );
    assert_eq!(snapshot(&out), before, "no output replaced, no leftovers");
    assert_eq!(ids(&out), ["g"]);
}

/// `graph` writes what records carry into XML and DOT: a date that would break out of
/// its GEXF attribute is refused with its line (status 1), and an id with `&` stays
/// text in every file (GEXF and GraphML parse; DOT writes the entity, not a character).
#[test]
fn graph_refuses_forged_dates_and_escapes_what_records_carry() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    let line = serde_json::json!({"id": "g", "date": "2018-04-01", "text": GOOD_TEXT});
    std::fs::write(&input, format!("{line}\n")).unwrap();
    let out = dir.path().join("out");
    let output = run(&[
        "extract",
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let record = std::fs::read_to_string(out.join("articles.jsonl")).unwrap();
    assert!(record.contains("\"tebboune\""), "{record}");
    let forged_date = record
        .replace("\"id\":\"g\"", "\"id\":\"forged\"")
        .replace("2018-04-01", "2018\\\" x=\\\"1");
    let ampersand = record
        .replace("\"id\":\"g\"", "\"id\":\"amp\"")
        .replace("\"tebboune\"", "\"a&#1;\"");
    let records = dir.path().join("records.jsonl");
    std::fs::write(&records, format!("{forged_date}{ampersand}")).unwrap();
    let rebuilt = dir.path().join("rebuilt");
    let output = run(&[
        "graph",
        records.to_str().unwrap(),
        "-o",
        rebuilt.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("records.jsonl:1: not an article record: `date`"),
        "{}",
        stderr(&output)
    );
    for xml in ["graph.gexf", "graph.graphml"] {
        let text = std::fs::read_to_string(rebuilt.join(xml)).unwrap();
        let doc = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{xml}: {e}"));
        assert!(
            doc.descendants()
                .any(|n| n.attribute("id") == Some("a&#1;")),
            "{xml}:\n{text}"
        );
    }
    let dot = std::fs::read_to_string(rebuilt.join("graph.dot")).unwrap();
    assert!(dot.contains("\"a&amp;#1;\""), "{dot}");
    assert!(!dot.contains("a&#1;"), "{dot}");
}

/// A `--gazetteer` folder is walked as input folders are: a symbolic link back to the
/// folder is not followed round (each file is read once, so no id is doubled), and a
/// hidden file such as the `._mine.tsv` macOS leaves beside a copied file is not
/// loaded.
#[cfg(unix)]
#[test]
fn a_gazetteer_folder_with_a_link_loop_and_hidden_files_loads_each_file_once() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("mine");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(
        folder.join("mine.tsv"),
        "id\ttype\tname_ar\tlabel_en\tcountry\taliases\n\
         test_body\tORG\tهيئة الاختبار\tTest Body\t\t\n",
    )
    .unwrap();
    std::fs::write(folder.join("._mine.tsv"), binary_bytes(4096)).unwrap();
    std::os::unix::fs::symlink(&folder, folder.join("loop")).unwrap();
    let output = run(&[
        "gazetteer",
        "show",
        "--gazetteer",
        folder.to_str().unwrap(),
        "التقت هيئة الاختبار",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        String::from_utf8_lossy(&output.stdout).contains("test_body"),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
}

/// CSV rows against the size limit: a quote left open runs its row to the end of the
/// file, which is skipped and reported where it opens, and the lines after it are read
/// again as rows, as far as the limit held them; a long row whose quote closes is
/// skipped whole, its inner lines not taken for rows; a header over the limit skips
/// the file. Nothing past the limit is ever held (see `rows.rs` for 50 MB).
#[test]
fn csv_rows_over_the_limit_and_unclosed_quotes_are_skipped_and_the_rest_recovered() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, content: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, content).unwrap();
        path
    };
    let unclosed = write("unclosed.csv", "id,text\nz,قبل\na,\"مفتوح\nb,ثان\nc,ثالث\n");
    let long_quoted = write(
        "long.csv",
        &format!(
            "id,text\na,\"{}\n{}\"\nb,بعد\n",
            "س".repeat(40),
            "ص".repeat(40)
        ),
    );
    let mut many = String::from("id,text\na,\"مفتوح\n");
    for i in 0..20 {
        many.push_str(&format!("r{i:02},نص\n"));
    }
    let beyond = write("beyond.csv", &many);
    let one_line = write(
        "one-line.csv",
        &format!("id,text\nz,قبل\na,\"{}", "x".repeat(500)),
    );
    let header = write("header.csv", &format!("id,{}\na,نص\n", "t".repeat(500)));

    let r = read(&[&unclosed], Some(100));
    assert_eq!(r.ids, ["z", "b", "c"]);
    assert_problem(
        &r.problems,
        &format!("{}:3: ", unclosed.display()),
        "a quote opened on this line is never closed, so the row ran to the end of the file; skipped, and the lines after it are read again",
    );
    assert_eq!(r.articles[2].text, "ثالث");

    let r = read(&[&long_quoted], Some(100));
    assert_eq!(r.ids, ["b"]);
    assert_problem(
        &r.problems,
        &format!("{}:2: ", long_quoted.display()),
        "row of 165 bytes is over the limit of 100 bytes",
    );
    assert_eq!(r.problems.len(), 1, "{:?}", r.problems);

    let r = read(&[&beyond], Some(100));
    assert!(r.ids.len() >= 5 && r.ids.len() < 20, "{:?}", r.ids);
    for (i, id) in r.ids.iter().enumerate() {
        assert_eq!(id, &format!("r{i:02}"));
    }
    assert_problem(
        &r.problems,
        &format!("{}:2: ", beyond.display()),
        "bytes after those are lost",
    );

    let r = read(&[&one_line], Some(100));
    assert_eq!(r.ids, ["z"]);
    assert_problem(
        &r.problems,
        &format!("{}:3: ", one_line.display()),
        "row of 503 bytes is over the limit of 100 bytes",
    );

    let r = read(&[&header], Some(100));
    assert!(r.ids.is_empty());
    assert_problem(
        &r.problems,
        &format!("{}:1: ", header.display()),
        "header row of 503 bytes is over the limit of 100 bytes",
    );
}

/// Two articles under one id (two inputs whose tables have no id column, or two runs):
/// `graph` gives the same files whatever order their records come in, though their
/// evidence differs only by the sentence and the date. And under one input folder, the
/// tables of two sub-folders no longer give one id to two rows.
#[test]
fn merging_is_order_independent_and_generated_ids_are_unique_across_folders() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    for year in ["2019", "2020"] {
        std::fs::create_dir_all(input.join(year)).unwrap();
        std::fs::write(
            input.join(year).join("news.csv"),
            format!("date,text\n{year}-04-01,{GOOD_TEXT}\n"),
        )
        .unwrap();
    }
    let out = dir.path().join("out");
    let output = run(&[
        "extract",
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(ids(&out), ["2019/news-2", "2020/news-2"]);

    // One record, then the same id with another sentence and date, in both orders.
    let record = std::fs::read_to_string(out.join("articles.jsonl")).unwrap();
    let first = record
        .lines()
        .next()
        .unwrap()
        .replace("2019/news-2", "same");
    let mut second: serde_json::Value = serde_json::from_str(&first).unwrap();
    second["date"] = "2018-01-01".into();
    for relation in second["relations"].as_array_mut().unwrap() {
        let text = relation["sentence"]["text"]
            .as_str()
            .unwrap()
            .replace("الجزائر", "وهران");
        relation["sentence"]["text"] = text.into();
    }
    let second = second.to_string();
    let mut outputs = Vec::new();
    for (name, lines) in [("ab", [&first, &second]), ("ba", [&second, &first])] {
        let records = dir.path().join(format!("{name}.jsonl"));
        std::fs::write(&records, format!("{}\n{}\n", lines[0], lines[1])).unwrap();
        let graph = dir.path().join(name);
        let output = run(&[
            "graph",
            records.to_str().unwrap(),
            "-o",
            graph.to_str().unwrap(),
        ]);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        outputs.push(graph);
    }
    for file in ["edges.csv", "graph.gexf", "graph.graphml", "graph.dot"] {
        assert_eq!(
            std::fs::read_to_string(outputs[0].join(file)).unwrap(),
            std::fs::read_to_string(outputs[1].join(file)).unwrap(),
            "{file} depends on the order of the records"
        );
    }
}

// ---------------------------------------------------------------------------------
// Low: dates, escapes, odd outputs

/// One strict date parser: an article's `+018-+6-+1` or `2018-02-31` is no date (read
/// without one, with a warning); a filter bound that is no month or day, or a range
/// with no day in it, stops the command with status 2 before OUTDIR is made.
#[test]
fn forged_dates_are_refused_in_articles_and_filters() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    let lines: String = [
        ("plus", "+018-+6-+1"),
        ("feb", "2018-02-31"),
        ("ok", "2018-06-01"),
    ]
    .iter()
    .map(|(id, date)| {
        format!(
            "{}\n",
            serde_json::json!({"id": id, "date": date, "text": GOOD_TEXT})
        )
    })
    .collect();
    std::fs::write(&input, lines).unwrap();
    let out = dir.path().join("out");
    let output = run(&[
        "extract",
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    for (line, date) in [(1, "+018-+6-+1"), (2, "2018-02-31")] {
        assert!(
            stderr(&output).contains(&format!("in.jsonl:{line}: date `{date}` is not YYYY-MM-DD")),
            "{}",
            stderr(&output)
        );
    }
    let records = std::fs::read_to_string(out.join("articles.jsonl")).unwrap();
    assert_eq!(records.matches("\"date\"").count(), 1, "{records}");
    let records_path = out.join("articles.jsonl");
    for filters in [
        &["--since", "2018-13"][..],
        &["--until", "2018-99-99"],
        &["--since", "2018-02-30"],
        &["--since", "2019", "--until", "2018-12-31"],
        &["--since", "2018-06-02", "--until", "2018-06-01"],
    ] {
        for command in ["graph", "explain"] {
            let graph_out = dir.path().join("g");
            let mut args = vec![command, records_path.to_str().unwrap()];
            if command == "graph" {
                args.extend(["-o", graph_out.to_str().unwrap()]);
            }
            args.extend(filters);
            let output = run(&args);
            assert_eq!(
                output.status.code(),
                Some(2),
                "{filters:?}: {}",
                stderr(&output)
            );
            assert!(output.stdout.is_empty(), "{filters:?}");
            assert!(!graph_out.exists(), "{filters:?}");
        }
    }
    let output = run(&[
        "graph",
        records_path.to_str().unwrap(),
        "-o",
        dir.path().join("g").to_str().unwrap(),
        "--since",
        "2019",
        "--until",
        "2018",
    ]);
    assert!(
        stderr(&output).contains("error: --since 2019 is after --until 2018"),
        "{}",
        stderr(&output)
    );
    // A range within one month, written at two precisions, is a range.
    let output = run(&[
        "explain",
        records_path.to_str().unwrap(),
        "--since",
        "2018-06-01",
        "--until",
        "2018-06",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(String::from_utf8_lossy(&output.stdout).contains("ok · 2018-06-01"));
}

/// What the data carries reaches no terminal raw: in `explain`, ids, labels and rule
/// ids with escape sequences or line breaks are escaped (the Arabic sentence is not);
/// on stderr, a file name with a line break cannot forge a line of its own, and a
/// value the arguments reject is quoted escaped.
#[cfg(unix)]
#[test]
fn escape_sequences_and_line_breaks_from_the_data_reach_no_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    let line = serde_json::json!({"id": "a\u{1b}[31mRED\nforged", "date": "2018-06-01", "text": GOOD_TEXT});
    std::fs::write(&input, format!("{line}\n")).unwrap();
    let out = dir.path().join("out");
    let output = run(&[
        "extract",
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--explain",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let explained = String::from_utf8(output.stdout).unwrap();
    assert!(
        explained.contains("a\\u{1b}[31mRED\\nforged · 2018-06-01"),
        "{explained}"
    );
    assert!(
        explained.contains("الرئيس [تبون] {فائز السراج}"),
        "{explained}"
    );
    let record = std::fs::read_to_string(out.join("articles.jsonl")).unwrap();
    let forged = record
        .replace(
            "\"Fayez al-Sarraj\"",
            "\"Fayez\\u001b]0;owned\\u0007\\u009b2J\"",
        )
        .replace("\"meets.received\"", "\"rule\\r\\u202egnp.exe\"");
    let records = dir.path().join("records.jsonl");
    std::fs::write(&records, forged).unwrap();
    let output = run(&["explain", records.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let explained = String::from_utf8(output.stdout).unwrap();
    assert!(
        !explained.contains(['\u{1b}', '\u{7}', '\u{9b}', '\r', '\u{202e}']),
        "{explained:?}"
    );
    assert!(
        explained.contains("rule rule\\r\\u{202e}gnp.exe"),
        "{explained}"
    );
    assert!(
        explained.contains("Fayez\\u{1b}]0;owned\\u{7}\\u{9b}2J (sarraj)"),
        "{explained}"
    );
    assert_eq!(
        explained
            .lines()
            .filter(|l| l.starts_with("forged"))
            .count(),
        0
    );

    // A file whose name holds a line break and a message of its own.
    let forged_name = dir.path().join("bad\nactorgraph: all is well.jsonl");
    std::fs::write(&forged_name, "not json\n").unwrap();
    let output = run(&[
        "extract",
        forged_name.to_str().unwrap(),
        "-o",
        dir.path().join("out2").to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let messages = stderr(&output);
    assert!(
        !messages
            .lines()
            .any(|l| l.starts_with("actorgraph: all is well")),
        "{messages}"
    );
    assert!(
        messages.contains("bad\\nactorgraph: all is well.jsonl:1: not an article"),
        "{messages}"
    );

    // Values the arguments reject, by clap and by the command.
    let output = run(&[
        "explain",
        records.to_str().unwrap(),
        "--since",
        "2018\u{1b}[2J\nforged",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("'2018\\u{1b}[2J\\nforged'"),
        "{}",
        stderr(&output)
    );
    let output = run(&[
        "explain",
        records.to_str().unwrap(),
        "--around",
        "x\u{1b}[2J",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("--around x\\u{1b}[2J: no such entity"),
        "{}",
        stderr(&output)
    );
}

/// `extract --explain` shows its explanation before it commits: with stdout on a full
/// disk it stops with status 2 and OUTDIR as it was. `-o -` puts the records on
/// stdout, so `--explain` there is refused (status 2) rather than printed nowhere.
#[cfg(target_os = "linux")]
#[test]
fn an_explanation_that_cannot_be_written_commits_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (good, out, before) = good_outputs(dir.path());
    let other = dir.path().join("other.jsonl");
    std::fs::write(&other, article_line("other", GOOD_TEXT)).unwrap();
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let output = bin()
        .args([
            "extract",
            other.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--explain",
        ])
        .stdin(Stdio::null())
        .stdout(full)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("error: writing to standard output"),
        "{}",
        stderr(&output)
    );
    assert_eq!(snapshot(&out), before);

    let output = run(&["extract", good.to_str().unwrap(), "-o", "-", "--explain"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(output.stdout.is_empty());
    assert!(
        stderr(&output).contains("--explain goes with -o OUTDIR"),
        "{}",
        stderr(&output)
    );

    // A reader that stops early (`| head`) is no failure: the run commits.
    let mut child = bin()
        .args([
            "extract",
            other.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--explain",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(ids(&out), ["other"]);
}

/// A zstd file written with a large window (`zstd --long=28` and up, here by the zstd
/// crate with long-distance matching) is read, not reported as corrupt; a frame that
/// asks for more than zstd's own limit (2 GiB) is skipped with what to do.
#[test]
fn zstd_files_with_long_windows_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let lines: String = (0..200)
        .map(|i| article_line(&format!("z{i}"), GOOD_TEXT))
        .collect();
    let mut encoder = zstd::stream::write::Encoder::new(Vec::new(), 3).unwrap();
    encoder.window_log(30).unwrap();
    encoder.long_distance_matching(true).unwrap();
    encoder.write_all(lines.as_bytes()).unwrap();
    let long = encoder.finish().unwrap();
    // The frame header: magic, descriptor (no single segment), window 2^(10 + 20).
    assert_eq!(&long[..4], b"\x28\xb5\x2f\xfd");
    assert_eq!(long[4] & 0x20, 0);
    assert_eq!(long[5] >> 3, 20, "window descriptor {:#x}", long[5]);
    let path = dir.path().join("long.jsonl.zst");
    std::fs::write(&path, &long).unwrap();
    let read_long = read(&[&path], None);
    assert!(read_long.problems.is_empty(), "{:#?}", read_long.problems);
    assert_eq!(read_long.ids.len(), 200);

    let mut too_long = long.clone();
    too_long[5] = 22 << 3; // 2^32: more than zstd writes or reads
    let path = dir.path().join("too-long.jsonl.zst");
    std::fs::write(&path, &too_long).unwrap();
    let read_too_long = read(&[&path], None);
    assert!(read_too_long.ids.is_empty());
    assert_problem(
        &read_too_long.problems,
        &format!("{}:1: ", path.display()),
        "the zstd window is over 2048 MiB",
    );
}

/// Folders 300 deep are walked to the bottom (each folder is told by its device and
/// inode, not by walking its whole path back up: `benches/pipeline.rs`, `deep_folders`,
/// times the depth).
#[test]
fn folders_300_deep_are_read_to_the_bottom() {
    let dir = tempfile::tempdir().unwrap();
    let mut bottom = dir.path().join("in");
    for _ in 0..300 {
        bottom.push("d");
    }
    std::fs::create_dir_all(&bottom).unwrap();
    std::fs::write(bottom.join("deep.jsonl"), article_line("deep", GOOD_TEXT)).unwrap();
    let read = read(&[&dir.path().join("in")], None);
    assert_eq!(read.ids, ["deep"]);
    assert!(read.problems.is_empty(), "{:#?}", read.problems);
}

/// An OUTDIR inside an input folder is not read back as input on the next run: its
/// tables and records would be read as articles (or skipped, status 1). It is left
/// out with a warning.
#[test]
fn an_output_folder_inside_the_input_folder_is_not_read_back() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("news");
    std::fs::create_dir(&input).unwrap();
    std::fs::write(input.join("a.jsonl"), article_line("a", GOOD_TEXT)).unwrap();
    let out = input.join("out");
    for _ in 0..2 {
        let output = run(&[
            "extract",
            input.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ]);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        assert_eq!(ids(&out), ["a"]);
    }
    let output = run(&[
        "extract",
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(
        stderr(&output).contains("out: the output folder of this run (-o); its files are not read"),
        "{}",
        stderr(&output)
    );
    assert!(
        stderr(&output).contains("1 article, "),
        "{}",
        stderr(&output)
    );
}

/// Edge `articles` lists split back into their ids when an id holds `;` (escaped
/// `\;`); entity ids that differ only in control characters are refused where the
/// records are read, rather than drawn as one GraphML node; a gazetteer label with a
/// NUL or an escape is refused at its file, line and column.
#[test]
fn lists_ids_and_labels_keep_apart_what_the_data_keeps_apart() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    std::fs::write(
        &input,
        format!(
            "{}{}",
            article_line("2018;1", GOOD_TEXT),
            // Another text: copies of one text would give the edge once.
            article_line("a\\b", &format!("{GOOD_TEXT} وغادر بعد ذلك."))
        ),
    )
    .unwrap();
    let out = dir.path().join("out");
    let output = run(&[
        "extract",
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let mut edges = csv::Reader::from_path(out.join("edges.csv")).unwrap();
    let column = edges
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "articles")
        .unwrap();
    let row = edges.records().next().unwrap().unwrap();
    assert_eq!(&row[column], "2018\\;1;a\\\\b");
    let graphml = std::fs::read_to_string(out.join("graph.graphml")).unwrap();
    assert!(graphml.contains(">2018\\;1;a\\\\b<"), "{graphml}");

    // Two records whose ids differ by a control character only.
    let record = std::fs::read_to_string(out.join("articles.jsonl")).unwrap();
    let first = record.lines().next().unwrap();
    let forged = format!(
        "{}\n{}\n",
        first.replace("\"sarraj\"", "\"x\\u0001\""),
        first.replace("\"sarraj\"", "\"x\\u0002\"")
    );
    let records = dir.path().join("records.jsonl");
    std::fs::write(&records, forged).unwrap();
    let rebuilt = dir.path().join("rebuilt");
    let output = run(&[
        "graph",
        records.to_str().unwrap(),
        "-o",
        rebuilt.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    for line in [1, 2] {
        assert!(
            stderr(&output).contains(&format!(
                "records.jsonl:{line}: not an article record: entity id \"x\\u{{"
            )),
            "{}",
            stderr(&output)
        );
    }

    // Gazetteer labels with a NUL or an escape.
    for (name, label) in [("nul.tsv", "A\0B"), ("escape.tsv", "A\u{1b}[2JB")] {
        let path = dir.path().join(name);
        std::fs::write(
            &path,
            format!("id\ttype\tname_ar\tlabel_en\tcountry\taliases\nx\tPER\tاختبار\t{label}\t\t\n"),
        )
        .unwrap();
        let output = run(&["gazetteer", "check", "--gazetteer", path.to_str().unwrap()]);
        assert_eq!(output.status.code(), Some(2), "{name}");
        assert!(
            stderr(&output).contains(&format!("{}:2:4: control character", path.display())),
            "{}",
            stderr(&output)
        );
    }
}

/// Under `--excel`, a cell a spreadsheet would read as a formula (one starting with
/// `= + - @`, a tab or a carriage return: an evidence sentence starting «- » showed as
/// #NAME?) starts with `'`; errors.csv has the byte-order mark and CRLF of every other
/// table. Without `--excel`, cells are written as they are.
#[test]
fn excel_tables_make_formulas_inert_and_errors_csv_is_one_of_them() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("=bad.jsonl"),
        format!(
            "{}not json\n",
            article_line("=1+1", &format!("- {GOOD_TEXT}"))
        ),
    )
    .unwrap();
    for excel in [true, false] {
        let mut args = vec!["extract", "=bad.jsonl", "-o", "out"];
        if excel {
            args.push("--excel");
        }
        let output = bin().current_dir(dir.path()).args(&args).output().unwrap();
        assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
        let out = dir.path().join("out");
        let table = |name: &str| std::fs::read_to_string(out.join(name)).unwrap();
        let quote = if excel { "'" } else { "" };
        let relations = table("relations.csv");
        assert!(
            relations.contains(&format!(",{quote}- استقبل الرئيس تبون")),
            "{relations}"
        );
        assert!(table("mentions.csv").contains(&format!("\n{quote}=1+1,text,")));
        assert!(table("edges.csv").contains(&format!(",{quote}=1+1")));
        let errors = table("errors.csv");
        assert!(
            errors.contains(&format!("{quote}=bad.jsonl,2,skipped,")),
            "{errors}"
        );
        assert_eq!(errors.starts_with('\u{feff}'), excel, "{errors}");
        assert_eq!(errors.contains("\r\n"), excel, "{errors}");
        assert_eq!(errors.lines().count(), 2);
    }
}
