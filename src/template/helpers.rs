//! Handlebars helpers that legal drafting needs: long dates, lists joined with "and", ordinal
//! and cardinal numbers in words, amounts, defined party names and unbreakable names. Value
//! helpers return plain text, which handlebars then seals like any other `{{value}}` (see
//! [`crate::model::sealed`]); `date` and `nobreak` seal theirs as dates and names, which the
//! layout never breaks across lines.

use handlebars::{
    Context, Handlebars, Helper, HelperDef, RenderContext, RenderError, RenderErrorReason,
    ScopedJson,
};
use serde_json::Value;

use crate::model::sealed::{Kind, seal};
use crate::model::words::chinese_number;

/// Register every helper on a registry.
pub fn register(registry: &mut Handlebars<'static>) {
    registry.register_helper("date", Box::new(ValueHelper(sealed_date)));
    registry.register_helper("nobreak", Box::new(ValueHelper(nobreak)));
    registry.register_helper("join", Box::new(ValueHelper(join)));
    registry.register_helper("ordinal", Box::new(ValueHelper(ordinal)));
    registry.register_helper("count", Box::new(ValueHelper(count)));
    registry.register_helper("amount", Box::new(ValueHelper(amount)));
    registry.register_helper("defined", Box::new(ValueHelper(defined)));
}

type HelperFn = fn(&[&Value], lang: &str) -> Result<Value, String>;

/// A helper computing a value from its parameters and the document language.
struct ValueHelper(HelperFn);

impl HelperDef for ValueHelper {
    fn call_inner<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        ctx: &'rc Context,
        _: &mut RenderContext<'reg, 'rc>,
    ) -> Result<ScopedJson<'rc>, RenderError> {
        let params: Vec<&Value> = h.params().iter().map(|p| p.value()).collect();
        let doc = |key: &str| ctx.data().pointer(key).and_then(Value::as_str);
        let lang = doc("/doc/lang").unwrap_or("en");
        // Chinese dates follow `zh_calendar`; the helper sees it as the language `zh-TW-roc`.
        let lang = match (lang, doc("/doc/calendar")) {
            ("zh-TW", Some("roc")) => "zh-TW-roc",
            _ => lang,
        };
        (self.0)(&params, lang)
            .map(ScopedJson::Derived)
            .map_err(|m| RenderErrorReason::Other(format!("{{{{{}}}}}: {m}", h.name())).into())
    }
}

/// `{{date d}}` as the model's date: never broken across lines, no CJK–Latin spacing.
fn sealed_date(params: &[&Value], lang: &str) -> Result<Value, String> {
    let text = date(params, lang)?;
    Ok(Value::String(seal(
        text.as_str().unwrap_or_default(),
        Kind::Date,
    )))
}

/// `{{nobreak short_name}}`: a name that is never broken across lines.
fn nobreak(params: &[&Value], _lang: &str) -> Result<Value, String> {
    Ok(Value::String(seal(&plain(first(params)?), Kind::Name)))
}

/// A value as the text a reader sees.
fn plain(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn first<'a>(params: &[&'a Value]) -> Result<&'a Value, String> {
    params
        .first()
        .copied()
        .ok_or_else(|| "needs a value".to_string())
}

const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const MONTHS_SV: [&str; 12] = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
];

/// `{{date "2026-11-26"}}` → `26 November 2026` (sv: `26 november 2026`, zh-TW: `2026年11月26日`,
/// or with `zh_calendar: roc` the Republic of China calendar, `民國115年11月26日`).
/// An optional second parameter names the language.
pub fn date(params: &[&Value], lang: &str) -> Result<Value, String> {
    let iso = first(params)?
        .as_str()
        .ok_or("needs a date written YYYY-MM-DD")?;
    let lang = params.get(1).and_then(|v| v.as_str()).unwrap_or(lang);
    let parts: Vec<u32> = iso.split('-').filter_map(|p| p.parse().ok()).collect();
    let [y, m, d] = parts[..] else {
        return Err(format!("`{iso}` is not a date"));
    };
    let month = (m as usize)
        .checked_sub(1)
        .filter(|i| *i < 12)
        .ok_or(format!("`{iso}` is not a date"))?;
    Ok(Value::String(match lang {
        "sv" => format!("{d} {} {y}", MONTHS_SV[month]),
        "zh-TW" => format!("{y}年{m}月{d}日"),
        "zh-TW-roc" if y > 1911 => format!("民國{}年{m}月{d}日", y - 1911),
        "zh-TW-roc" => format!("{y}年{m}月{d}日"),
        _ => format!("{d} {} {y}", MONTHS_EN[month]),
    }))
}

/// `{{join list}}` → `a, b and c`; `{{join list "or"}}` → `a, b or c`.
pub fn join(params: &[&Value], lang: &str) -> Result<Value, String> {
    let items: Vec<String> = match first(params)? {
        Value::Array(items) => items.iter().map(plain).collect(),
        other => vec![plain(other)],
    };
    let chinese = lang.starts_with("zh");
    let default_word = match lang {
        "sv" => "och",
        _ if chinese => "及",
        _ => "and",
    };
    let word = params
        .get(1)
        .and_then(|v| v.as_str())
        .unwrap_or(default_word);
    Ok(Value::String(match items.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] if chinese => format!("{}{word}{last}", rest.join("、")),
        [rest @ .., last] => format!("{} {word} {last}", rest.join(", ")),
    }))
}

const ORDINALS: [&str; 12] = [
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
    "eleventh", "twelfth",
];
const CARDINALS: [&str; 13] = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve",
];

fn number(params: &[&Value]) -> Result<u64, String> {
    first(params)?
        .as_u64()
        .ok_or_else(|| "needs a whole number".to_string())
}

const ORDINALS_SV: [&str; 12] = [
    "första", "andra", "tredje", "fjärde", "femte", "sjätte", "sjunde", "åttonde", "nionde",
    "tionde", "elfte", "tolfte",
];
const CARDINALS_SV: [&str; 13] = [
    "noll", "ett", "två", "tre", "fyra", "fem", "sex", "sju", "åtta", "nio", "tio", "elva", "tolv",
];

/// `{{ordinal 2}}` → `second` (sv `andra`, zh-TW `第二`); past twelfth, `13th`, `21st`, ….
pub fn ordinal(params: &[&Value], lang: &str) -> Result<Value, String> {
    let n = number(params)?;
    if lang.starts_with("zh") {
        return Ok(Value::String(format!("第{}", chinese_number(n))));
    }
    if lang == "sv" {
        return Ok(Value::String(match n {
            1..=12 => ORDINALS_SV[n as usize - 1].to_string(),
            _ => format!("{n}:e"),
        }));
    }
    Ok(Value::String(match n {
        1..=12 => ORDINALS[n as usize - 1].to_string(),
        _ => {
            let suffix = match (n % 10, n % 100) {
                (_, 11..=13) => "th",
                (1, _) => "st",
                (2, _) => "nd",
                (3, _) => "rd",
                _ => "th",
            };
            format!("{n}{suffix}")
        }
    }))
}

/// `{{count 3}}` → `three` (sv `tre`, zh-TW `三`); past twelve, digits (zh-TW: numerals).
pub fn count(params: &[&Value], lang: &str) -> Result<Value, String> {
    let n = number(params)?;
    if lang.starts_with("zh") {
        return Ok(Value::String(chinese_number(n)));
    }
    let words: &[&str] = if lang == "sv" {
        &CARDINALS_SV
    } else {
        &CARDINALS
    };
    Ok(Value::String(
        words
            .get(n as usize)
            .map_or_else(|| n.to_string(), |s| s.to_string()),
    ))
}

/// `{{amount 25000 "SEK"}}` → `SEK 25,000` (sv: `25 000 SEK`, zh-TW: `25,000 SEK`); decimals are
/// kept to two places when the amount has them (`EUR 1,250.50`, sv `1 250,50 EUR`).
pub fn amount(params: &[&Value], lang: &str) -> Result<Value, String> {
    let value = first(params)?.as_f64().ok_or("needs a number")?;
    let currency = params
        .get(1)
        .and_then(|v| v.as_str())
        .ok_or("needs a currency code, e.g. \"SEK\"")?;
    if !value.is_finite() || value.abs() >= 1e15 {
        return Err(format!("{value} is not an amount"));
    }
    let cents = (value.abs() * 100.0).round() as u64;
    let (whole, frac) = (cents / 100, cents % 100);
    let lang = lang.trim_end_matches("-roc");
    let (group, decimal) = if lang == "sv" {
        ('\u{a0}', ',')
    } else {
        (',', '.')
    };
    let digits = whole.to_string();
    let mut grouped = String::new();
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(group);
        }
        grouped.push(d);
    }
    if frac != 0 {
        grouped.push_str(&format!("{decimal}{frac:02}"));
    }
    let sign = if value < 0.0 { "−" } else { "" };
    Ok(Value::String(match lang {
        "en" => format!("{sign}{currency} {grouped}"),
        _ => format!("{sign}{grouped} {currency}"),
    }))
}

/// `{{defined party}}` → `the City of Malmö (hereinafter “Malmö”)`: a party's official name
/// with its short name as a defined term, quoted as the language writes it (sv ”…”, zh-TW 「…」).
pub fn defined(params: &[&Value], lang: &str) -> Result<Value, String> {
    let party = first(params)?;
    let name = party
        .get("official_name")
        .and_then(Value::as_str)
        .ok_or("needs a party")?;
    let short = party
        .get("short_name")
        .and_then(Value::as_str)
        .ok_or("needs a party")?;
    Ok(Value::String(match lang {
        "sv" => format!("{name} (nedan kallad ”{short}”)"),
        "zh-TW" | "zh-TW-roc" => format!("{name}（以下簡稱「{short}」）"),
        _ => {
            let article = [
                "City of ",
                "Municipality of ",
                "County of ",
                "Town of ",
                "Region of ",
            ]
            .iter()
            .any(|p| name.starts_with(p));
            let the = if article { "the " } else { "" };
            format!("{the}{name} (hereinafter “{short}”)")
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_per_language() {
        let n = |v: u64| json!(v);
        let count_in = |v: u64, lang| count(&[&n(v)], lang).unwrap();
        assert_eq!(count_in(3, "sv"), json!("tre"));
        assert_eq!(count_in(2, "zh-TW"), json!("二"));
        assert_eq!(count_in(12, "zh-TW"), json!("十二"));
        assert_eq!(count_in(21, "zh-TW"), json!("二十一"));
        assert_eq!(count_in(105, "zh-TW"), json!("一百〇五"));
        assert_eq!(ordinal(&[&n(3)], "zh-TW").unwrap(), json!("第三"));
        assert_eq!(ordinal(&[&n(2)], "sv").unwrap(), json!("andra"));
        let list = json!(["甲", "乙", "丙"]);
        assert_eq!(join(&[&list], "zh-TW").unwrap(), json!("甲、乙及丙"));
    }

    #[test]
    fn roc_calendar_dates() {
        let d = json!("2026-11-26");
        assert_eq!(
            date(&[&d], "zh-TW-roc").unwrap(),
            json!("民國115年11月26日")
        );
        assert_eq!(date(&[&d], "zh-TW").unwrap(), json!("2026年11月26日"));
    }

    #[test]
    fn dates_per_language() {
        let d = json!("2026-11-26");
        assert_eq!(date(&[&d], "en").unwrap(), json!("26 November 2026"));
        assert_eq!(date(&[&d], "sv").unwrap(), json!("26 november 2026"));
        assert_eq!(date(&[&d], "zh-TW").unwrap(), json!("2026年11月26日"));
        assert!(date(&[&json!("26/11/2026")], "en").is_err());
    }

    #[test]
    fn join_and_numbers() {
        let l = json!(["culture", "education", "youth"]);
        assert_eq!(
            join(&[&l], "en").unwrap(),
            json!("culture, education and youth")
        );
        assert_eq!(
            join(&[&l], "sv").unwrap(),
            json!("culture, education och youth")
        );
        assert_eq!(ordinal(&[&json!(2)], "en").unwrap(), json!("second"));
        assert_eq!(ordinal(&[&json!(22)], "en").unwrap(), json!("22nd"));
        assert_eq!(count(&[&json!(3)], "en").unwrap(), json!("three"));
    }

    #[test]
    fn amounts_with_currency() {
        assert_eq!(
            amount(&[&json!(25000), &json!("SEK")], "en").unwrap(),
            json!("SEK 25,000")
        );
        assert_eq!(
            amount(&[&json!(1250.5), &json!("EUR")], "en").unwrap(),
            json!("EUR 1,250.50")
        );
        assert_eq!(
            amount(&[&json!(1250.5), &json!("EUR")], "sv").unwrap(),
            json!("1\u{a0}250,50 EUR")
        );
        assert_eq!(
            amount(&[&json!(999), &json!("TWD")], "zh-TW").unwrap(),
            json!("999 TWD")
        );
        assert_eq!(
            amount(&[&json!(1234567), &json!("SEK")], "en").unwrap(),
            json!("SEK 1,234,567")
        );
        assert!(amount(&[&json!("x"), &json!("SEK")], "en").is_err());
    }

    #[test]
    fn defined_terms_per_language() {
        let malmo = json!({"official_name": "City of Malmö", "short_name": "Malmö"});
        let khh = json!({"official_name": "Kaohsiung City Government", "short_name": "Kaohsiung"});
        assert_eq!(
            defined(&[&malmo], "en").unwrap(),
            json!("the City of Malmö (hereinafter “Malmö”)")
        );
        assert_eq!(
            defined(&[&khh], "en").unwrap(),
            json!("Kaohsiung City Government (hereinafter “Kaohsiung”)")
        );
        assert_eq!(
            defined(&[&malmo], "sv").unwrap(),
            json!("City of Malmö (nedan kallad ”Malmö”)")
        );
        assert_eq!(
            defined(&[&khh], "zh-TW").unwrap(),
            json!("Kaohsiung City Government（以下簡稱「Kaohsiung」）")
        );
    }
}
