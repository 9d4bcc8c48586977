//! Checks every format makes of an article's fields: bytes that are not UTF-8, a date
//! that is neither `YYYY-MM-DD` nor a timestamp that starts with one, a title that is
//! not a string. Each repairs the field or
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
    if let Some(day) = date_part(date.trim()) {
        return Some(day.to_string());
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

/// The `YYYY-MM-DD` of a date or of a timestamp that starts with one (RFC 3339's
/// `2018-05-16T10:00:00Z` or `+02:00`, `2018-05-16 10:00:00`, `2018/05/16`), as
/// written: the date the article gives, with no shift between time zones.
fn date_part(text: &str) -> Option<String> {
    let head = text.get(..10)?;
    let slashes = head.as_bytes()[4] == b'/' && head.as_bytes()[7] == b'/';
    let day = if slashes {
        head.replace('/', "-")
    } else {
        head.to_string()
    };
    Date::parse(&day)?;
    let rest = &text.as_bytes()[10..];
    let time_follows = match rest {
        [] => true,
        [b'T' | b't' | b' ', hour, ..] => hour.is_ascii_digit(),
        _ => false,
    };
    time_follows.then_some(day)
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

pub(super) fn json_type(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::date_part;

    #[test]
    fn timestamps_give_their_date() {
        for (text, day) in [
            ("2018-05-16", "2018-05-16"),
            ("2018-05-16T10:00:00Z", "2018-05-16"),
            ("2018-05-16T23:30:00.250-05:00", "2018-05-16"),
            ("2018-05-16 10:00:00", "2018-05-16"),
            ("2018/05/16", "2018-05-16"),
            ("2018/05/16 10:00", "2018-05-16"),
        ] {
            assert_eq!(date_part(text).as_deref(), Some(day), "{text}");
        }
        for bad in [
            "16/05/2018",
            "2018-05-16x",
            "2018-13-01T00:00",
            "2018-05",
            "2018-05-16T",
            "2018/05-16",
            "+018-+6-+1",
            "2018-02-31",
            "2019-02-29T10:00",
        ] {
            assert_eq!(date_part(bad), None, "{bad}");
        }
    }
}
