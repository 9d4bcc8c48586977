//! The house rules of src/: which folder may import which, so that the layout stays as
//! docs/ARCHITECTURE.md draws it. Only the code before a file's first `#[cfg(test)]` is
//! read: tests may reach further.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

/// Each folder (or root file) of the library and the crate modules its code may use.
/// The stages run top to bottom; none imports one below it.
const RULES: &[(&str, &[&str])] = &[
    ("error", &[]),
    ("record", &[]),
    ("text", &[]),
    ("gazetteer", &["error", "record", "text"]),
    ("lexicon", &["error", "text"]),
    ("tagger", &["text"]),
    (
        "pipeline",
        &["error", "record", "text", "gazetteer", "lexicon", "tagger"],
    ),
    ("graph", &["record", "text", "gazetteer"]),
    ("output", &["error", "record", "text", "graph"]),
    (
        "run",
        &[
            "error",
            "record",
            "text",
            "gazetteer",
            "pipeline",
            "graph",
            "output",
        ],
    ),
    (
        "tools",
        &[
            "error",
            "record",
            "text",
            "gazetteer",
            "lexicon",
            "tagger",
            "pipeline",
            "run",
        ],
    ),
];

/// The items lib.rs re-exports at the root, by the module they come from.
const ROOT_ITEMS: &[(&str, &str)] = &[
    ("GazetteerError", "error"),
    ("InputProblem", "error"),
    ("OutputError", "error"),
    ("Extractor", "pipeline"),
    ("Gazetteer", "gazetteer"),
    ("ActorGraph", "graph"),
    ("Article", "record"),
    ("Inputs", "run"),
    ("ArticleRecord", "record"),
];

/// The drawing formats inside output/ may use these of output's files, and nothing of
/// output's own mod.rs, which orchestrates them.
const FORMATS: &[&str] = &["dot.rs", "graphml.rs", "gexf.rs", "explain.rs", "report.rs"];
const FORMAT_HELPERS: &[&str] = &["escape", "style", "force"];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files.sort();
    files
}

/// The code of a file before its tests, without comments.
fn production_code(text: &str) -> String {
    text.lines()
        .take_while(|line| !line.trim_start().starts_with("#[cfg(test)]"))
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The first path segments after `prefix` (`crate::`, `super::`): `crate::a::b` gives
/// `a`; `crate::{a::b, c}` gives `a` and `c`.
fn segments_after(code: &str, prefix: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    for (at, _) in code.match_indices(prefix) {
        if at > 0 && code[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == ':') {
            continue;
        }
        let rest = &code[at + prefix.len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 1;
            let mut start = 0;
            let mut items = Vec::new();
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            items.push(&group[start..i]);
                            break;
                        }
                    }
                    ',' if depth == 1 => {
                        items.push(&group[start..i]);
                        start = i + 1;
                    }
                    _ => {}
                }
            }
            found.extend(
                items
                    .into_iter()
                    .map(|item| ident(item.trim()))
                    .filter(|s| !s.is_empty()),
            );
        } else {
            let name = ident(rest);
            if !name.is_empty() {
                found.insert(name);
            }
        }
    }
    found
}

/// The crate modules `code`, from a file of `folder`, uses.
fn modules_used(code: &str) -> BTreeSet<String> {
    segments_after(code, "crate::")
        .into_iter()
        .map(|name| {
            ROOT_ITEMS
                .iter()
                .find(|(item, _)| *item == name)
                .map_or(name, |(_, module)| module.to_string())
        })
        .collect()
}

/// Every rule `file` (a path under src/) breaks, in words.
fn violations(file: &str, text: &str) -> Vec<String> {
    let code = production_code(text);
    let mut broken = Vec::new();
    let in_cli = file.starts_with("cli/") || file == "main.rs";
    for library in ["clap", "indicatif"] {
        if !in_cli
            && (code.contains(&format!("{library}::")) || code.contains(&format!("use {library}")))
        {
            broken.push(format!("{file}: names {library}, which only src/cli may"));
        }
    }
    if in_cli || file == "lib.rs" || file == "testing.rs" {
        return broken;
    }
    if code.contains("actorgraph::") {
        broken.push(format!("{file}: the library names itself as actorgraph::"));
    }
    let folder = file.split(['/', '.']).next().unwrap();
    let Some((_, allowed)) = RULES.iter().find(|(name, _)| *name == folder) else {
        broken.push(format!(
            "{file}: {folder} has no import rule in tests/layout.rs"
        ));
        return broken;
    };
    for module in modules_used(&code) {
        if module != folder && !allowed.contains(&module.as_str()) {
            broken.push(format!(
                "{file}: uses crate::{module}, which {folder} may not"
            ));
        }
    }
    let name = file.rsplit('/').next().unwrap();
    if folder == "output" && FORMATS.contains(&name) {
        if modules_used(&code).contains("output") {
            broken.push(format!("{file}: a format imports crate::output"));
        }
        for item in segments_after(&code, "super::") {
            if !FORMAT_HELPERS.contains(&item.as_str()) {
                broken.push(format!(
                    "{file}: a format imports super::{item} from output's mod"
                ));
            }
        }
    }
    broken
}

#[test]
fn every_folder_keeps_its_import_rules() {
    let root = src();
    let mut broken = Vec::new();
    let mut folders = BTreeSet::new();
    for path in rust_files(&root) {
        let file = path
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        folders.insert(file.split(['/', '.']).next().unwrap().to_string());
        broken.extend(violations(&file, &fs::read_to_string(&path).unwrap()));
    }
    assert!(
        broken.is_empty(),
        "import rules broken:\n{}",
        broken.join("\n")
    );
    for (folder, _) in RULES {
        assert!(
            folders.contains(*folder),
            "the rules name {folder}, which src/ lacks"
        );
    }
}

/// The checker itself finds what it must: without this, a reader that saw nothing would pass.
#[test]
fn the_rules_catch_what_they_forbid() {
    let cases: &[(&str, &str, usize)] = &[
        (
            "pipeline/relate/mod.rs",
            "use crate::output::PendingFile;\n",
            1,
        ),
        (
            "pipeline/extract.rs",
            "use crate::{gazetteer::Date, run::input::Article};\n",
            1,
        ),
        ("pipeline/extract.rs", "use crate::ActorGraph;\n", 1),
        ("record/mod.rs", "use crate::text::fold::Folded;\n", 1),
        ("graph/filter.rs", "#[derive(clap::Args)]\nstruct A;\n", 1),
        (
            "output/gexf.rs",
            "use super::{ExportOptions, escape::xml_escape};\n",
            1,
        ),
        ("output/dot.rs", "use crate::output::style::Labels;\n", 1),
        ("run/folder.rs", "use actorgraph::Gazetteer;\n", 1),
        ("widgets/mod.rs", "", 1),
        (
            "pipeline/extract.rs",
            "// crate::output::PendingFile in a comment\n",
            0,
        ),
        (
            "pipeline/extract.rs",
            "use crate::gazetteer::Date;\n#[cfg(test)]\nuse crate::run::input::Article;\n",
            0,
        ),
        (
            "output/dot.rs",
            "use super::escape::dot_escape;\nuse super::style::Labels;\n",
            0,
        ),
        (
            "cli/mod.rs",
            "use clap::Parser;\nuse actorgraph::Gazetteer;\n",
            0,
        ),
    ];
    for (file, text, expected) in cases {
        let found = violations(file, text);
        assert_eq!(found.len(), *expected, "{file}: {text:?} gives {found:?}");
    }
}
