//! Checks every format makes of an article's fields: bytes that are not UTF-8, a date
//! that is not `YYYY-MM-DD`, a title that is not a string. Each repairs the field or
//! drops it, with a warning, so that the article is still read.

use crate::error::InputProblem;
use crate::record::Date;

pub(super) fn decode(
    bytes: &[u8],
    file: &str,
    line: Option<usize>,
    warnings: &mut Vec<InputProblem>,
) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(e) => {
            let at = match line {
                Some(_) => format!("column {}", e.valid_up_to() + 1),
                None => format!("byte {}", e.valid_up_to()),
            };
            warnings.push(InputProblem {
                file: file.to_string(),
                line,
                message: format!("invalid UTF-8 at {at}; decoded with replacement characters"),
                recovered: true,
            });
            String::from_utf8_lossy(bytes).into_owned()
        }
    }
}

pub(super) fn check_date(
    date: Option<serde_json::Value>,
    file: &str,
    line: Option<usize>,
    warnings: &mut Vec<InputProblem>,
) -> Option<String> {
    let warn = |warnings: &mut Vec<InputProblem>, message: String| {
        warnings.push(InputProblem {
            file: file.to_string(),
            line,
            message,
            recovered: true,
        })
    };
    let date = match date? {
        serde_json::Value::String(date) => date,
        serde_json::Value::Null => return None,
        other => {
            warn(
                warnings,
                format!(
                    "`date` is {}, not a string; read without a date",
                    json_type(&other)
                ),
            );
            return None;
        }
    };
    let date = Some(date).filter(|d| !d.trim().is_empty())?;
    if Date::parse(&date).is_some() {
        return Some(date);
    }
    warn(
        warnings,
        format!(
            "date `{}` is not YYYY-MM-DD; read without a date",
            date.chars().take(40).collect::<String>()
        ),
    );
    None
}

pub(super) fn check_title(
    title: Option<serde_json::Value>,
    file: &str,
    line: Option<usize>,
    warnings: &mut Vec<InputProblem>,
) -> Option<String> {
    match title? {
        serde_json::Value::String(title) => Some(title).filter(|t| !t.trim().is_empty()),
        serde_json::Value::Null => None,
        other => {
            warnings.push(InputProblem {
                file: file.to_string(),
                line,
                message: format!(
                    "`title` is {}, not a string; read without a title",
                    json_type(&other)
                ),
                recovered: true,
            });
            None
        }
    }
}

fn json_type(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}
