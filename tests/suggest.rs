//! `actorgraph gazetteer show` and `actorgraph gazetteer suggest`.

mod common;
use common::*;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::Value;

/// Three articles: a known president, an unknown movement, an unknown minister and town.
fn articles() -> String {
    let bodies = [
        ("a1", "2024-01-02", "الوضع خطير", "الهجوم مرفوض", "أمس"),
        (
            "a2",
            "2024-01-05",
            "فرنسا تدعم الحل",
            "الحركة سترد",
            "صباح اليوم",
        ),
        (
            "a3",
            "2024-01-09",
            "باريس قلقة",
            "قواتها جاهزة",
            "في زيارة رسمية",
        ),
    ];
    bodies
        .iter()
        .map(|(id, date, a, b, c)| {
            let text = format!(
                "قال الرئيس الفرنسي إيمانويل ماكرون إن {a}. وقال المتحدث باسم حركة النجباء العراقية إن {b}. ووصل الوزير زيد الخالدي إلى مدينة سرمين {c}."
            );
            serde_json::json!({"id": id, "date": date, "text": text}).to_string() + "\n"
        })
        .collect()
}

/// Runs `gazetteer suggest INPUTS... -o DIR/suggestions.tsv EXTRA...`: the file's
/// path and text.
fn suggest(dir: &Path, inputs: &[&Path], extra: &[&str]) -> (PathBuf, String) {
    let out = dir.join("suggestions.tsv");
    let mut args = vec!["gazetteer", "suggest"];
    args.extend(inputs.iter().map(|p| p.to_str().unwrap()));
    args.extend(["-o", out.to_str().unwrap()]);
    args.extend_from_slice(extra);
    run_ok(&args);
    let tsv = std::fs::read_to_string(&out).unwrap();
    (out, tsv)
}

/// (start, end, entity) of every mention `extract -o -` finds with the gazetteers alone
/// (the tagger's unknown names would change ids as suggestions make them known).
fn mentions(input: &str, extra: &[&str]) -> BTreeSet<(String, u64, u64, String)> {
    let mut args = vec!["extract", input, "-o", "-", "--ner", "gazetteer"];
    args.extend_from_slice(extra);
    let output = run_ok(&args);
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .flat_map(|line| {
            let record: Value = serde_json::from_str(line).unwrap();
            let id = record["id"].as_str().unwrap().to_string();
            record["mentions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| {
                    (
                        id.clone(),
                        m["start"].as_u64().unwrap(),
                        m["end"].as_u64().unwrap(),
                        m["entity"].as_str().unwrap().to_string(),
                    )
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn show_prints_mentions_with_their_definition() {
    let output = run_ok(&[
        "gazetteer",
        "show",
        "وزير الخارجية الإيطالي لويدجي دي مايو",
        "--date",
        "2020-06-23",
    ]);
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("dimaio"), "{text}");
    assert!(text.contains("gazetteers/actors.tsv:"), "{text}");
    assert!(text.contains("folded: "), "{text}");
}

/// `gazetteer show TEXT --date D`, as text.
fn show(text: &str, date: &str) -> String {
    let output = run_ok(&["gazetteer", "show", text, "--date", date]);
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn show_names_the_role_row_behind_an_office_on_each_date() {
    // «وزير الخارجية الإيطالي»: the Italian foreign minister.
    let text = "وزير الخارجية الإيطالي";
    let before = show(text, "2018-06-01");
    assert!(
        before.contains("\tPER\tmoavero\t")
            && before.contains(
                "  role: foreign_minister of IT: moavero 2018-06-01..2019-09-05 (gazetteers/roles_world.tsv:"
            ),
        "{before}"
    );
    let after = show(text, "2020-06-23");
    assert!(
        after.contains("\tPER\tdimaio\t")
            && after.contains(
                "  role: foreign_minister of IT: dimaio 2019-09-05..2022-10-22 (gazetteers/roles.tsv:"
            ),
        "{after}"
    );
    // Before any row of the roles, the title names no one, and show says why.
    let early = show(text, "2005-01-01");
    assert!(
        early
            .contains("unresolved: «وزير الخارجية» title foreign_minister (gazetteers/titles.tsv:")
            && early.contains("no holder of foreign_minister of IT on 2005-01-01"),
        "{early}"
    );
    let undated = run_ok(&["gazetteer", "show", text]);
    let undated = String::from_utf8(undated.stdout).unwrap();
    assert!(undated.contains("date: none (no --date)"), "{undated}");
}

#[test]
fn show_lists_a_gated_alias_outside_its_states() {
    // «the House of Representatives voted on the law»: no state is named, so none of
    // the parliaments called «مجلس النواب» counts.
    let text = show("صوت مجلس النواب على القانون", "2020-06-23");
    assert!(text.contains("no mentions"), "{text}");
    assert!(
        text.contains("unresolved: «مجلس النواب» ORG iq_parliament (gazetteers/bodies.tsv:")
            && text.contains("a gated alias, counted only in a text that names IQ"),
        "{text}"
    );
    // Naming Iraq («العراقي») lets it count.
    let named = show("صوت مجلس النواب العراقي على القانون", "2020-06-23");
    assert!(named.contains("\tORG\tiq_parliament\t"), "{named}");
    assert!(!named.contains("unresolved: «مجلس النواب»"), "{named}");
}

#[test]
fn check_reports_overlapping_tenures_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let roles = dir.path().join("roles_mine.tsv");
    // Draghi (from 2021-02-13) given a start before Conte left: it overlaps Conte and
    // the built-in Draghi row; Meloni, who starts the day Draghi left, is a handover.
    std::fs::write(
        &roles,
        "title\tof\tholder\tfrom\tto\n\
         prime_minister\tIT\tdraghi\t2020-12-01\t2022-10-22\n",
    )
    .unwrap();
    let path = roles.to_str().unwrap();
    let output = run_ok(&["gazetteer", "check", "--gazetteer", path]);
    let text = String::from_utf8(output.stdout).unwrap();
    let conte = "conte 2018-06-01..2021-02-13 (gazetteers/roles.tsv:11)";
    assert!(
        text.contains(&format!(
            "{path}:2: overlapping tenures: prime_minister of IT: {conte} and draghi 2020-12-01..2022-10-22"
        )),
        "{text}"
    );
    assert!(text.contains("; 2 overlapping tenures"), "{text}");
}

#[test]
fn suggest_proposes_unknown_names_that_then_load_as_a_gazetteer() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("articles.jsonl");
    std::fs::write(&input, articles()).unwrap();
    let input = input.to_str().unwrap();
    let suggestions = dir.path().join("suggestions.tsv");
    let suggestions = suggestions.to_str().unwrap();
    let output = run_ok(&["gazetteer", "suggest", input, "-o", suggestions]);
    assert!(
        stderr(&output).contains("suggestions"),
        "{}",
        stderr(&output)
    );

    let tsv = std::fs::read_to_string(suggestions).unwrap();
    let rows: Vec<Vec<&str>> = tsv
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| l.split('\t').collect())
        .collect();
    assert_eq!(
        rows[0],
        [
            "id", "type", "name_ar", "label_en", "country", "aliases", "source"
        ]
    );
    let names: Vec<(&str, &str)> = rows[1..].iter().map(|r| (r[1], r[2])).collect();
    assert!(names.contains(&("PER", "زيد الخالدي")), "{tsv}");
    assert!(names.contains(&("LOC", "سرمين")), "{tsv}");
    assert!(names.contains(&("ORG", "حركة النجباء")), "{tsv}");
    assert!(!tsv.contains("ماكرون\t"), "{tsv}");
    assert!(
        names
            .iter()
            .all(|(_, n)| !n.contains("ماكرون") && !n.contains("إيمانويل")),
        "{tsv}"
    );
    let ids: BTreeSet<&str> = rows[1..].iter().map(|r| r[0]).collect();
    assert_eq!(ids.len(), rows.len() - 1, "ids are unique: {tsv}");
    for row in &rows[1..] {
        assert_eq!(row.len(), 7, "{tsv}");
        assert!(
            row[6].starts_with("suggested: 3× in 3 articles")
                && row[6].contains("2024-01-02..2024-01-09, score ")
                && row[6].contains("; e.g. «"),
            "{tsv}"
        );
    }
    // The context gives the country: «حركة النجباء العراقية», «الوزير الليبي ...».
    let nujaba = rows.iter().find(|r| r[2] == "حركة النجباء").unwrap();
    assert_eq!(nujaba[4], "IQ", "{tsv}");
    assert!(nujaba[0].starts_with("iq_"), "{tsv}");
    // Nothing lost by the suggestions, something gained.
    let before = mentions(input, &[]);
    let after = mentions(input, &["--gazetteer", suggestions]);
    assert!(before.is_subset(&after), "{before:?} {after:?}");
    assert!(after.len() > before.len());
    // The file checks clean.
    run_ok(&["gazetteer", "check", "--gazetteer", suggestions]);
}

#[test]
fn suggest_min_count_drops_rare_names() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("articles.jsonl");
    std::fs::write(&input, articles()).unwrap();
    let (_, tsv) = suggest(dir.path(), &[&input], &["--min-count", "4"]);
    assert_eq!(
        tsv.lines().filter(|l| !l.starts_with('#')).count(),
        1,
        "{tsv}"
    );
}

#[test]
fn suggestions_from_real_articles_add_mentions_and_lose_none() {
    let dir = tempfile::tempdir().unwrap();
    let (libya, diplomacy) = (fixture("gold/libya.jsonl"), fixture("gold/diplomacy.jsonl"));
    let (suggestions, tsv) = suggest(dir.path(), &[&libya, &diplomacy], &["--min-count", "1"]);
    let suggestions = suggestions.to_str().unwrap();
    let (libya, diplomacy) = (libya.to_str().unwrap(), diplomacy.to_str().unwrap());
    assert!(
        tsv.lines().filter(|l| !l.starts_with('#')).count() > 5,
        "{tsv}"
    );
    for input in [libya, diplomacy] {
        let before = mentions(input, &[]);
        let after = mentions(input, &["--gazetteer", suggestions]);
        let lost: Vec<_> = before.difference(&after).collect();
        assert!(lost.is_empty(), "{input}: lost {lost:?}");
        assert!(after.len() > before.len(), "{input}: nothing gained");
    }
}

/// Three articles where an unknown envoy meets a known minister.
fn envoy_articles() -> String {
    (1..=3)
        .map(|n| {
            let text = format!(
                "استقبل كريستوفر هيل وزير الخارجية الإيطالي في روما. وبحث الجانبان الوضع في ليبيا رقم {n}."
            );
            serde_json::json!({"id": format!("e{n}"), "date": format!("2018-06-0{n}"), "text": text})
                .to_string()
                + "\n"
        })
        .collect()
}

/// The row of suggestions.tsv whose `name_ar` is `name`.
fn suggestion<'a>(tsv: &'a str, name: &str) -> &'a str {
    tsv.lines()
        .find(|l| l.split('\t').nth(2) == Some(name))
        .unwrap_or_else(|| panic!("no {name} in {tsv}"))
}

#[test]
fn names_in_rule_slots_reach_unknown_csv_and_the_suggestions() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("envoy.jsonl");
    std::fs::write(&input, envoy_articles()).unwrap();
    let out = dir.path().join("out");
    run_ok(&[
        "extract",
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    let unknown = std::fs::read_to_string(out.join("unknown.csv")).unwrap();
    let mut lines = unknown.lines();
    assert_eq!(
        lines.next().unwrap(),
        "text,count,articles,first_date,last_date,rules,example_article,example_trigger"
    );
    assert!(
        lines.any(|l| l == "كريستوفر هيل,3,3,2018-06-01,2018-06-03,meets.received:3,e1,استقبل"),
        "{unknown}"
    );
    // The records carry each slot with its offsets.
    let records = std::fs::read_to_string(out.join("articles.jsonl")).unwrap();
    let first: Value = serde_json::from_str(records.lines().next().unwrap()).unwrap();
    assert_eq!(first["unknown"][0]["text"], "كريستوفر هيل", "{first}");
    assert_eq!(first["unknown"][0]["start"], 7, "{first}");
    assert_eq!(first["unknown"][0]["end"], 19, "{first}");

    let (_, tsv) = suggest(dir.path(), &[&input], &[]);
    let row = suggestion(&tsv, "كريستوفر هيل");
    assert!(row.contains("3 in rule slots"), "{row}");
}

#[test]
fn show_prints_the_relations_and_the_unknown_actor_slots() {
    let output = run_ok(&[
        "gazetteer",
        "show",
        "استقبل كريستوفر هيل رئيس المجلس الرئاسي. ثم التقى السراج وزير الخارجية الإيطالي.",
        "--date",
        "2018-06-01",
    ]);
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains("relation: sarraj meets moavero by meets.met at «التقى»"),
        "{text}"
    );
    assert!(
        text.contains("unknown: «كريستوفر هيل» in the slot of meets.received at «استقبل»"),
        "{text}"
    );
}

#[test]
fn suggestions_load_back_even_when_a_proposed_id_is_taken_and_keep_their_dates() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("a.jsonl");
    // «انكارا» is a spelling the gazetteers lack; its Latin id `ankara` is Ankara's.
    // Two dated sightings after a title and one undated one in a rule's slot.
    let lines = [
        serde_json::json!({"id": "t1", "date": "2020-01-02", "text": "وصل الوفد إلى مدينة انكارا أمس."}),
        serde_json::json!({"id": "t2", "date": "2020-02-02", "text": "زار الوزير مدينة انكارا أمس."}),
        serde_json::json!({"id": "t3", "date": "2020-03-02", "text": "عاد الوفد من مدينة انكارا أمس."}),
        serde_json::json!({"id": "h1", "date": "2020-01-02", "text": "قال الوزير كريستوفر هيل إن الوضع خطير."}),
        serde_json::json!({"id": "h2", "date": "2020-03-02", "text": "قال الوزير كريستوفر هيل إن الحل قريب."}),
        serde_json::json!({"id": "h3", "text": "استقبل كريستوفر هيل الوفد."}),
    ];
    let text: String = lines.iter().map(|l| l.to_string() + "\n").collect();
    std::fs::write(&input, text).unwrap();
    let (suggestions, tsv) = suggest(dir.path(), &[&input], &["--min-count", "2"]);
    assert!(
        suggestion(&tsv, "انكارا").starts_with("ankara_2\t"),
        "{tsv}"
    );
    assert!(
        suggestion(&tsv, "كريستوفر هيل").contains("2020-01-02..2020-03-02"),
        "{tsv}"
    );
    let out = dir.path().join("out");
    run_ok(&[
        "extract",
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--gazetteer",
        suggestions.to_str().unwrap(),
    ]);
}

/// A pipe given as the output is written through, not replaced: a rename over it would
/// turn `-o /dev/null`, run as root, into a regular file that every later program
/// writes to and reads back. A regular output gets an ordinary new file's permissions.
#[test]
fn suggest_writes_through_a_pipe_and_makes_files_as_the_umask_says() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("articles.jsonl");
    std::fs::write(&input, articles()).unwrap();
    let (_, expected) = suggest(dir.path(), &[&input], &[]);

    let fifo = dir.path().join("fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    run_ok(&[
        "gazetteer",
        "suggest",
        input.to_str().unwrap(),
        "-o",
        fifo.to_str().unwrap(),
    ]);
    // Before the join: a reader whose pipe was replaced would wait for ever.
    assert!(std::os::unix::fs::FileTypeExt::is_fifo(
        &std::fs::metadata(&fifo).unwrap().file_type()
    ));
    assert_eq!(reader.join().unwrap(), expected);
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["articles.jsonl", "fifo", "suggestions.tsv"]);

    // A folder that is not there is named, not the temporary file never made in it.
    let missing = dir.path().join("missing").join("suggestions.tsv");
    let output = run_with_stdin(
        &[
            "gazetteer",
            "suggest",
            input.to_str().unwrap(),
            "-o",
            missing.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(
        message.contains(&format!(
            "no folder {}",
            dir.path().join("missing").display()
        )) && !message.contains(".suggestions.tsv."),
        "{message}"
    );

    use std::os::unix::fs::PermissionsExt;
    let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    let ordinary = dir.path().join("ordinary");
    std::fs::File::create(&ordinary).unwrap();
    assert_eq!(mode(&dir.path().join("suggestions.tsv")), mode(&ordinary));
}

/// «ووصل السفير زيد الخالدي»: the name after the title is also the rule's slot, one
/// occurrence seen twice; it was counted twice (6× in 3 articles).
#[test]
fn a_name_in_a_slot_right_after_a_title_counts_once() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("articles.jsonl");
    let lines: Vec<String> = ["2024-01-02", "2024-01-05", "2024-01-09"]
        .iter()
        .enumerate()
        .map(|(i, date)| {
            serde_json::json!({
                "id": format!("a{i}"),
                "date": date,
                "text": "ووصل السفير زيد الخالدي إلى مدينة سرمين أمس.",
            })
            .to_string()
        })
        .collect();
    std::fs::write(&input, lines.join("\n") + "\n").unwrap();
    let (_, tsv) = suggest(dir.path(), &[&input], &[]);
    let row = tsv
        .lines()
        .find(|l| l.starts_with("zyd_alkhaldy\t"))
        .unwrap_or_else(|| panic!("{tsv}"));
    assert!(
        row.contains("suggested: 3× in 3 articles, 3 in rule slots"),
        "{row}"
    );
}
