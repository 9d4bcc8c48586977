//! `actorgraph gazetteer show` and `actorgraph gazetteer suggest`.

mod common;
use common::*;

use std::collections::BTreeSet;

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

/// (start, end, entity) of every mention `extract -o -` finds.
fn mentions(input: &str, extra: &[&str]) -> BTreeSet<(String, u64, u64, String)> {
    let mut args = vec!["extract", input, "-o", "-"];
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
    for row in &rows[1..] {
        assert_eq!(row.len(), 7, "{tsv}");
        assert!(row[0].starts_with("sug_") && row[3] == row[0], "{tsv}");
        assert!(
            row[6].starts_with("suggested: 3× in 3 articles, 2024-01-02..2024-01-09; e.g. «"),
            "{tsv}"
        );
    }
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
    let suggestions = dir.path().join("suggestions.tsv");
    run_ok(&[
        "gazetteer",
        "suggest",
        input.to_str().unwrap(),
        "-o",
        suggestions.to_str().unwrap(),
        "--min-count",
        "4",
    ]);
    let tsv = std::fs::read_to_string(&suggestions).unwrap();
    assert_eq!(
        tsv.lines().filter(|l| !l.starts_with('#')).count(),
        1,
        "{tsv}"
    );
}
