//! The terms pactum's own code acts on (not only the templates), read once into types when the
//! terms pass validation: the language versions and their layout, the round and its date,
//! counterparts and the parties' short names they are named by, and the Chinese calendar.
//! Everything else stays data for the templates. Also what was set for a terms file from
//! outside it ([`Overrides`]).

use serde_json::Value;

use super::in_language;
use crate::model::Layout;

/// How Chinese dates count years (`zh_calendar`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Calendar {
    Gregorian,
    /// The Republic of China calendar (`民國116年`).
    Roc,
}

impl Calendar {
    pub fn as_str(self) -> &'static str {
        match self {
            Calendar::Gregorian => "gregorian",
            Calendar::Roc => "roc",
        }
    }
}

/// What was set for a terms file from outside it (`--layout`, `--keep-comments`, `languages` in
/// pactum.toml) and applied to it; a PDF's record keeps them, so that `verify` renders the same
/// way.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Overrides {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub languages: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layout: Option<Layout>,
    /// `--keep-comments`: the copy carries the terms file as it is, comments included.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub keep_comments: bool,
}

impl Overrides {
    pub fn is_empty(&self) -> bool {
        self.languages.is_none() && self.layout.is_none() && !self.keep_comments
    }

    /// Set them in validated terms, over what the terms say.
    pub fn apply(&self, value: &mut Value) {
        if let Some(languages) = &self.languages {
            value["languages"] = languages.clone().into();
        }
        if let Some(layout) = self.layout {
            value["layout"] = serde_json::to_value(layout).unwrap_or_default();
        }
    }
}

/// Which copy of a round a document is: the whole agreement, or one party's counterpart
/// (`counterparts: true`), one language's original (`originals: {per_language: true}`,
/// `render --language`), or one party's original in one language.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CopyId {
    /// The party whose counterpart this is (its short name in the first language).
    #[serde(default, rename = "copy_for", skip_serializing_if = "Option::is_none")]
    pub party: Option<String>,
    /// The one language version it holds (all of them when `None`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
}

impl CopyId {
    /// The whole agreement, for no party in particular.
    pub fn whole() -> Self {
        Self::default()
    }

    /// One language version of the agreement.
    pub fn in_language(lang: &str) -> Self {
        CopyId {
            party: None,
            language: Some(lang.to_string()),
        }
    }
}

/// What pactum reads from the terms for itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// The language versions, in order (at least one: `en` when none is given).
    pub languages: Vec<String>,
    /// How several language versions stand (`layout`); unset means the default for their
    /// number.
    pub layout: Option<Layout>,
    pub round: Option<u64>,
    /// ISO `YYYY-MM-DD`.
    pub date: Option<String>,
    /// One original per party in a final copy.
    pub counterparts: bool,
    /// One original per language version in a final copy.
    pub per_language: bool,
    /// Each party's short name in each language version, in the order of `languages`.
    pub short_names: Vec<Vec<String>>,
    pub calendar: Calendar,
    /// The parts whose differences between the language versions the parties accept
    /// (`parity: {accept: […]}`), in the first language.
    pub parity_accepted: Vec<ParityAccepted>,
}

/// A part of the agreement whose language versions may differ, and why (`parity.accept`):
/// what a final copy's record keeps, and `verify` prints.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ParityAccepted {
    /// The article's id (`costs`), or `title`, `preamble`, `signing`, `annex-1`.
    pub article: String,
    pub reason: String,
}

impl Settings {
    /// Read from validated terms.
    pub fn read(value: &Value) -> Self {
        let mut languages: Vec<String> = value
            .get("languages")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default();
        if languages.is_empty() {
            languages.push("en".to_string());
        }
        let layout = match value.get("layout").and_then(Value::as_str) {
            Some("parallel") => Some(Layout::Parallel),
            Some("consecutive") => Some(Layout::Consecutive),
            _ => None,
        };
        let parties = value
            .get("parties")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let short_names = parties
            .iter()
            .map(|party| {
                let name = party.get("short_name").cloned().unwrap_or(Value::Null);
                languages
                    .iter()
                    .map(|lang| in_language(&name, lang).as_str().unwrap_or("").to_string())
                    .collect()
            })
            .collect();
        Settings {
            layout,
            round: value.get("round").and_then(Value::as_u64),
            date: value.get("date").and_then(Value::as_str).map(String::from),
            counterparts: value.get("counterparts").and_then(Value::as_bool) == Some(true),
            per_language: value
                .pointer("/originals/per_language")
                .and_then(Value::as_bool)
                == Some(true),
            short_names,
            parity_accepted: value
                .pointer("/parity/accept")
                .and_then(Value::as_array)
                .map(|items| {
                    let first = languages.first().map_or("en", String::as_str);
                    let text = |v: Option<&Value>| {
                        v.map(|v| in_language(v, first))
                            .and_then(|v| v.as_str().map(super::squash))
                            .unwrap_or_default()
                    };
                    items
                        .iter()
                        .map(|item| ParityAccepted {
                            article: text(item.get("article")),
                            reason: text(item.get("reason")),
                        })
                        .collect()
                })
                .unwrap_or_default(),
            calendar: match value.get("zh_calendar").and_then(Value::as_str) {
                Some("roc") => Calendar::Roc,
                _ => Calendar::Gregorian,
            },
            languages,
        }
    }

    /// The name a party goes by in `lang`, given its name in the first language version (how
    /// a counterpart is named: `copy_for`).
    pub fn short_name_in(&self, copy_for: &str, lang: &str) -> Option<&str> {
        let at = self.languages.iter().position(|l| l == lang)?;
        self.short_names
            .iter()
            .find(|names| names.first().map(String::as_str) == Some(copy_for))
            .and_then(|names| names.get(at))
            .map(String::as_str)
    }
}

/// How the terms name the parties together, when they say: `parties_called`; else, when
/// every party gives one `kind`, that kind in the plural (`counties`); when their kinds differ,
/// `parties`. `None` leaves it to the template.
pub fn parties_called(terms: &Value) -> Option<&str> {
    if let Some(called) = terms.get("parties_called").and_then(Value::as_str) {
        return Some(called);
    }
    let kinds: Vec<Option<&str>> = terms
        .get("parties")
        .and_then(Value::as_array)
        .map(|ps| {
            ps.iter()
                .map(|p| p.get("kind").and_then(Value::as_str))
                .collect()
        })
        .unwrap_or_default();
    match kinds.first() {
        Some(Some(kind)) if kinds.iter().all(|k| k == &Some(*kind)) => Some(match *kind {
            "city" => "cities",
            "town" => "towns",
            "municipality" => "municipalities",
            "county" => "counties",
            "region" => "regions",
            _ => "associations",
        }),
        _ if kinds.iter().any(Option::is_some) => Some("parties"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn per_language_short_names_name_each_counterpart_in_each_version() {
        let value = json!({
            "languages": ["sv", "zh-TW"],
            "counterparts": true,
            "parties": [
                {"short_name": {"$lang": {"sv": "Lund", "zh-TW": "隆德"}}},
                {"short_name": "Tainan"},
            ],
        });
        let s = Settings::read(&value);
        assert!(s.counterparts);
        assert_eq!(
            s.short_names,
            [vec!["Lund", "隆德"], vec!["Tainan", "Tainan"]]
        );
        assert_eq!(s.short_name_in("Lund", "zh-TW"), Some("隆德"));
        assert_eq!(s.calendar, Calendar::Gregorian);
        assert_eq!(Settings::read(&json!({})).languages, ["en"]);
    }
}
