//! Handlebars helpers that legal drafting needs: long dates, lists joined with "and", ordinal
//! and cardinal numbers in words, amounts, defined party names and unbreakable names. Value
//! helpers return plain text, which handlebars then seals like any other `{{value}}` (see
//! [`crate::model::sealed`]); `date` and `nobreak` seal theirs as dates and names, which the
//! layout never breaks across lines.

use std::collections::BTreeMap;
use std::sync::Arc;

use handlebars::{
    Context, Handlebars, Helper, HelperDef, RenderContext, RenderError, RenderErrorReason,
    ScopedJson,
};
use rust_decimal::Decimal;
use serde_json::Value;

use crate::model::Words;
use crate::model::sealed::{Kind, seal};

/// Every language's words, shared by the helpers of every registry.
pub type AllWords = Arc<BTreeMap<String, Words>>;

/// Register every helper on a registry; `words` gives each language's months, numbers in
/// words, list conjunction, amount format and language names.
pub fn register(registry: &mut Handlebars<'static>, words: &AllWords) {
    let helpers: [(&str, HelperFn); 13] = [
        ("date", sealed_date),
        ("nobreak", nobreak),
        ("join", join),
        ("ordinal", ordinal),
        ("count", count),
        ("amount", amount),
        ("defined", defined),
        ("named", named),
        ("language-name", language_name),
        ("designation", designation),
        ("divide", divide),
        ("contains", contains),
        ("signing", signing),
    ];
    for (name, f) in helpers {
        registry.register_helper(name, Box::new(ValueHelper(f, words.clone())));
    }
}

/// The language a helper writes: its words, and whether dates follow the ROC calendar.
#[derive(Clone, Copy)]
pub struct Lang<'a> {
    /// The language's code (`de`), as the terms name it.
    pub code: &'a str,
    pub words: &'a Words,
    /// `zh_calendar: roc`, for a language whose words give a `date_roc`.
    pub roc: bool,
    /// How the text names the parties (`cities`, `parties`, …): the designation fill chose.
    pub called: &'a str,
    /// `capital=true`: the word opens a sentence.
    pub capital: bool,
}

type HelperFn = fn(&[&Value], Lang) -> Result<Value, String>;

/// A helper computing a value from its parameters and the document language.
struct ValueHelper(HelperFn, AllWords);

impl HelperDef for ValueHelper {
    fn call_inner<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        ctx: &'rc Context,
        _: &mut RenderContext<'reg, 'rc>,
    ) -> Result<ScopedJson<'rc>, RenderError> {
        let fail = |m: String| RenderErrorReason::Other(format!("{{{{{}}}}}: {m}", h.name()));
        let params: Vec<&Value> = h.params().iter().map(|p| p.value()).collect();
        let doc = |key: &str| ctx.data().pointer(key).and_then(Value::as_str);
        // A last parameter naming a language writes in that language (`{{date d "sv"}}`).
        let named = params
            .last()
            .and_then(|v| v.as_str())
            .filter(|l| params.len() > 1 && self.1.contains_key(*l));
        let code = named.or(doc("/doc/lang")).unwrap_or("en");
        let words = self
            .1
            .get(code)
            .or_else(|| self.1.get("en"))
            .or_else(|| self.1.values().next())
            .ok_or_else(|| fail(format!("there are no words for `{code}`")))?;
        let lang = Lang {
            code,
            words,
            roc: doc("/doc/calendar") == Some("roc"),
            called: doc("/doc/parties_called").unwrap_or("parties"),
            capital: h
                .hash_get("capital")
                .is_some_and(|v| v.value().as_bool() == Some(true)),
        };
        let params = if named.is_some() {
            &params[..params.len() - 1]
        } else {
            &params[..]
        };
        (self.0)(params, lang)
            .map(ScopedJson::Derived)
            .map_err(|m| fail(m).into())
    }
}

/// `{{date d}}` as the model's date: never broken across lines, no CJK–Latin spacing.
fn sealed_date(params: &[&Value], lang: Lang) -> Result<Value, String> {
    let text = date(params, lang)?;
    Ok(Value::String(seal(
        text.as_str().unwrap_or_default(),
        Kind::Date,
    )))
}

/// `{{nobreak short_name}}`: a name that is never broken across lines.
fn nobreak(params: &[&Value], _: Lang) -> Result<Value, String> {
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

/// `{{date "2026-11-26"}}` → `26 November 2026`, as the language's `date` pattern writes it
/// (sv `26 november 2026`, zh-TW `2026年11月26日`, or with `zh_calendar: roc` its `date_roc`,
/// `民國115年11月26日`). The date is written `YYYY-MM-DD` and is in the calendar, as a `date`
/// term must be ([`crate::terms::validate::iso_date`]).
pub fn date(params: &[&Value], lang: Lang) -> Result<Value, String> {
    let iso = first(params)?
        .as_str()
        .ok_or("needs a date written YYYY-MM-DD")?;
    let date = crate::terms::validate::iso_date(iso).ok_or(format!("`{iso}` is not a date"))?;
    let (y, m, d) = (date.year(), date.month(), date.day());
    let w = lang.words;
    let month = usize::try_from(m - 1)
        .ok()
        .and_then(|i| w.months.get(i))
        .ok_or(format!("`{iso}` is not a date"))?;
    let pattern = match &w.date_roc {
        Some(roc) if lang.roc && y > 1911 => roc,
        _ => &w.date,
    };
    Ok(Value::String(
        pattern
            .replace("{roc}", &(y - 1911).to_string())
            .replace("{y}", &y.to_string())
            .replace("{month}", month)
            .replace("{m}", &m.to_string())
            .replace("{d}", &d.to_string()),
    ))
}

/// `{{join list}}` → `a, b and c`; `{{join list "or"}}` → `a, b or c` (the language's own
/// "and", "or" and separator: sv `a, b och c`, zh-TW `甲、乙及丙`). Any other second parameter
/// is the word itself.
pub fn join(params: &[&Value], lang: Lang) -> Result<Value, String> {
    let items: Vec<String> = match first(params)? {
        Value::Array(items) => items.iter().map(plain).collect(),
        other => vec![plain(other)],
    };
    let w = lang.words;
    let and = w.join_and.as_deref().unwrap_or(&w.and);
    let word = match params.get(1).and_then(|v| v.as_str()) {
        Some("or") => w.or.as_str(),
        Some("and") | None => and,
        Some(other) => other,
    };
    // Words are set apart by spaces in scripts that use them.
    let spaced = !w.text.cjk;
    Ok(Value::String(match items.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] if spaced => format!("{} {word} {last}", rest.join(&w.join_separator)),
        [rest @ .., last] => format!("{}{word}{last}", rest.join(&w.join_separator)),
    }))
}

fn number(params: &[&Value]) -> Result<u64, String> {
    first(params)?
        .as_u64()
        .ok_or_else(|| "needs a whole number".to_string())
}

/// `{{ordinal 2}}` → `second` (sv `andra`, zh-TW `第二`); past the language's list, its
/// `ordinal_digits` (`13th`, `21st`; sv `13:e`).
pub fn ordinal(params: &[&Value], lang: Lang) -> Result<Value, String> {
    let n = number(params)?;
    let w = lang.words;
    if let Some(word) = (n as usize).checked_sub(1).and_then(|i| w.ordinals.get(i)) {
        return Ok(Value::String(word.clone()));
    }
    let digits = w.ordinal_digits.replace("{n}", &w.numeral(n));
    // English: 21st, 22nd, 23rd, but 11th, 12th, 13th.
    let english = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    Ok(Value::String(if w.ordinal_digits == "{n}th" {
        format!("{n}{english}")
    } else {
        digits
    }))
}

/// `{{count 3}}` → `three` (sv `tre`, zh-TW `三`); past the language's list, its numerals.
pub fn count(params: &[&Value], lang: Lang) -> Result<Value, String> {
    let n = number(params)?;
    let w = lang.words;
    Ok(Value::String(
        w.cardinals
            .get(n as usize)
            .cloned()
            .unwrap_or_else(|| w.numeral(n)),
    ))
}

/// `{{amount 25000 "SEK"}}` → `SEK 25,000` (sv: `25 000 SEK`, zh-TW: `25,000 SEK`), as the
/// language's `amount` format writes it; decimals are kept to two places when the amount has
/// them (`EUR 1,250.50`, sv `1 250,50 EUR`). The amount is read exactly, as a [`Decimal`]: a
/// whole number, a number with at most two decimals, or either written as text
/// (`{{amount "12345678901234.56" "SEK"}}`, or a text term), which keeps every digit. A number
/// with decimals in a template is a floating-point number to handlebars, exact to 15 digits
/// only: a longer one is refused, to be written as text.
pub fn amount(params: &[&Value], lang: Lang) -> Result<Value, String> {
    let (value, literal) = match first(params)? {
        Value::Number(n) => {
            let text = n.to_string();
            let value = Decimal::from_str_exact(&text).or_else(|_| Decimal::from_scientific(&text));
            (value.ok(), n.is_f64())
        }
        Value::String(text) => (Decimal::from_str_exact(text).ok(), false),
        _ => (None, false),
    };
    let value = value.ok_or("needs a number")?.normalize();
    let currency = params
        .get(1)
        .and_then(|v| v.as_str())
        .ok_or("needs a currency code, e.g. \"SEK\"")?;
    if value.abs() >= Decimal::from(1_000_000_000_000_000_u64) {
        return Err(format!("{value} is not an amount"));
    }
    // The digits the value holds (12.5 → 125): past 15, a floating-point number may not be
    // the one written.
    if literal && value.mantissa().unsigned_abs() >= 10_u128.pow(15) {
        return Err(format!(
            "a number with decimals keeps 15 digits exactly, and {value} has more (it may not \
             be the amount written); write the amount as text, in quotes"
        ));
    }
    if value.scale() > 2 {
        return Err(format!(
            "{value} has more than two decimals; an amount is written to the cent"
        ));
    }
    let format = &lang.words.amount;
    let mut cents = value;
    cents.rescale(2);
    let cents = cents.mantissa().unsigned_abs();
    let (whole, frac) = (cents / 100, cents % 100);
    let digits = whole.to_string();
    let mut grouped = String::new();
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push_str(&format.group);
        }
        grouped.push(d);
    }
    if frac != 0 {
        grouped.push_str(&format!("{}{frac:02}", format.decimal));
    }
    let sign = if value.is_sign_negative() && !value.is_zero() {
        "−"
    } else {
        ""
    };
    Ok(Value::String(format!(
        "{sign}{}",
        format
            .pattern
            .replace("{currency}", currency)
            .replace("{amount}", &grouped)
    )))
}

/// `{{defined party}}` → `the City of Malmö (hereinafter “Malmö”)`: a party's official name
/// with its short name as a defined term, as the language's `defined` pattern writes it (sv
/// `… (nedan kallad ”Malmö”)`, zh-TW `…（以下簡稱「高雄」）`).
pub fn defined(params: &[&Value], lang: Lang) -> Result<Value, String> {
    let party = first(params)?;
    let name = party
        .get("official_name")
        .and_then(Value::as_str)
        .ok_or("needs a party")?;
    let short = party
        .get("short_name")
        .and_then(Value::as_str)
        .ok_or("needs a party")?;
    let w = lang.words;
    // "die Gemeinde Berg (im Folgenden …)" in a language with cases; "the City of Malmö".
    let name = match w
        .case_of("defined")
        .and_then(|case| party_in_case(party, name, lang.code, w, case))
    {
        Some(declined) => declined,
        None if w.takes_the(name) => format!("the {name}"),
        None => name.to_string(),
    };
    Ok(Value::String(
        w.defined.replace("{name}", &name).replace("{short}", short),
    ))
}

/// `{{named party "dative"}}` → `dem Landkreis Ostróda` (`"accusative"` → `die Gemeinde Berg`):
/// a party's official name, or a name given as text, in a case, with the article its head
/// noun takes in the language (and the noun's own form, `des Landkreises`), as the words'
/// `name_forms` give them ([`Words::declined`]); `capital=true` opens a sentence with it
/// ("Die Gemeinde Berg"). A bare place name, and any name in a language without cases, is
/// printed as given.
pub fn named(params: &[&Value], lang: Lang) -> Result<Value, String> {
    let party = first(params)?;
    let name = match party {
        Value::String(name) => name.as_str(),
        party => party
            .get("official_name")
            .and_then(Value::as_str)
            .ok_or("needs a party, or a name")?,
    };
    let case = params
        .get(1)
        .and_then(|v| v.as_str())
        .ok_or("needs a case, e.g. \"dative\"")?;
    let named =
        party_in_case(party, name, lang.code, lang.words, case).unwrap_or_else(|| name.to_string());
    Ok(Value::String(if lang.capital {
        capitalised(&named)
    } else {
        named
    }))
}

/// A party's official name `name` in `case` in the language `code`: the form the party's
/// terms give for it (`forms: [{language: de, dative: dem Landkreis Ostróda}]`), else the name
/// with the article its head noun takes ([`Words::declined`]); `None` when neither says.
pub fn party_in_case(
    party: &Value,
    name: &str,
    code: &str,
    words: &Words,
    case: &str,
) -> Option<String> {
    let given = party
        .get("forms")
        .and_then(Value::as_array)
        .and_then(|forms| {
            forms
                .iter()
                .find(|f| f.get("language").and_then(Value::as_str) == Some(code))
        })
        .and_then(|f| f.get(case))
        .map(|v| plain(&crate::terms::in_language(v, code)))
        .map(|s| crate::terms::squash(&s))
        .filter(|s| !s.is_empty());
    given.or_else(|| words.declined(name, case))
}

/// `text` with its first letter in upper case.
fn capitalised(text: &str) -> String {
    let mut c = text.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// `{{designation "many"}}` → `Cities` (sv `many_definite` → `städerna`, zh-TW `two` →
/// `兩市`): the parties' designation (`parties_called`, or what fill chose from their kinds or
/// the legal status) in one of the forms the language's words give; `capital=true` opens a
/// sentence with it.
pub fn designation(params: &[&Value], lang: Lang) -> Result<Value, String> {
    let form = first(params)?
        .as_str()
        .ok_or("needs a form, e.g. \"many\"")?;
    let forms = lang.words.designations.get(lang.called).ok_or_else(|| {
        format!(
            "this language's words have no designation `{}`",
            lang.called
        )
    })?;
    let word = forms.get(form).ok_or_else(|| {
        let known: Vec<&str> = forms.keys().map(String::as_str).collect();
        format!(
            "no form `{form}` of `{}` (there are: {})",
            lang.called,
            known.join(", ")
        )
    })?;
    Ok(Value::String(if lang.capital {
        capitalised(word)
    } else {
        word.clone()
    }))
}

/// `{{#unless (contains official_name country_label)}}`: whether a text holds another (letter
/// case aside), so that a country already in an official name is not printed twice.
fn contains(params: &[&Value], _: Lang) -> Result<Value, String> {
    let outer = plain(first(params)?).to_lowercase();
    let inner = params
        .get(1)
        .map(|v| plain(v).to_lowercase())
        .unwrap_or_default();
    Ok(Value::Bool(
        !inner.trim().is_empty() && outer.contains(inner.trim()),
    ))
}

/// Whether an official name already holds the country line (then it is printed once).
pub fn names_country(name: &str, country: &str) -> bool {
    let country = country.trim().to_lowercase();
    !country.is_empty() && name.to_lowercase().contains(&country)
}

/// `{{divide 4 2}}` → `2`: whole-number division (how many originals each party keeps).
fn divide(params: &[&Value], _: Lang) -> Result<Value, String> {
    let a = number(params)?;
    let b = params
        .get(1)
        .and_then(|v| v.as_u64())
        .filter(|b| *b > 0)
        .ok_or("needs a second whole number above 0")?;
    Ok(Value::from(a / b))
}

/// `{{language-name "sv"}}` → `Swedish` (sv `svenska`, zh-TW `瑞典文`): a language's name as the
/// language being written names it; the code itself when its words do not.
pub fn language_name(params: &[&Value], lang: Lang) -> Result<Value, String> {
    let code = plain(first(params)?);
    Ok(Value::String(
        lang.words.languages.get(&code).cloned().unwrap_or(code),
    ))
}

/// `{{#each (signing parties)}}`: the parties that sign (`signs` is not false), the preamble's
/// "the Cities"; `(signing parties false)`: those that take part without signing.
fn signing(params: &[&Value], _: Lang) -> Result<Value, String> {
    let parties = first(params)?.as_array().ok_or("needs the parties")?;
    let signs = params.get(1).and_then(|v| v.as_bool()).unwrap_or(true);
    Ok(Value::Array(
        (parties.iter())
            .filter(|p| (p.get("signs") != Some(&Value::Bool(false))) == signs)
            .cloned()
            .collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::sync::OnceLock;

    /// The shipped words of `code` (`zh-TW-roc`: Chinese with the ROC calendar).
    fn lang(code: &str) -> Lang<'static> {
        static WORDS: OnceLock<BTreeMap<String, Words>> = OnceLock::new();
        let all = WORDS.get_or_init(|| {
            [
                ("en", include_str!("../../templates/shared/words/en.yaml")),
                ("sv", include_str!("../../templates/shared/words/sv.yaml")),
                (
                    "zh-TW",
                    include_str!("../../templates/shared/words/zh-TW.yaml"),
                ),
                ("de", include_str!("../../templates/shared/words/de.yaml")),
            ]
            .into_iter()
            .map(|(k, y)| (k.to_string(), serde_yaml_ng::from_str(y).unwrap()))
            .collect()
        });
        let (key, words) = all.get_key_value(code.trim_end_matches("-roc")).unwrap();
        Lang {
            code: key.as_str(),
            words,
            roc: code.ends_with("-roc"),
            called: "cities",
            capital: false,
        }
    }

    #[test]
    fn numbers_per_language() {
        let n = |v: u64| json!(v);
        let count_in = |v: u64, code| count(&[&n(v)], lang(code)).unwrap();
        assert_eq!(count_in(3, "sv"), json!("tre"));
        assert_eq!(count_in(2, "zh-TW"), json!("二"));
        assert_eq!(count_in(12, "zh-TW"), json!("十二"));
        assert_eq!(count_in(21, "zh-TW"), json!("二十一"));
        assert_eq!(count_in(105, "zh-TW"), json!("一百〇五"));
        assert_eq!(ordinal(&[&n(3)], lang("zh-TW")).unwrap(), json!("第三"));
        assert_eq!(ordinal(&[&n(2)], lang("sv")).unwrap(), json!("andra"));
        let list = json!(["甲", "乙", "丙"]);
        assert_eq!(join(&[&list], lang("zh-TW")).unwrap(), json!("甲、乙及丙"));
    }

    #[test]
    fn roc_calendar_dates() {
        let d = json!("2026-11-26");
        assert_eq!(
            date(&[&d], lang("zh-TW-roc")).unwrap(),
            json!("民國115年11月26日")
        );
        assert_eq!(date(&[&d], lang("zh-TW")).unwrap(), json!("2026年11月26日"));
        // Before the ROC's first year, the Gregorian one.
        let d = json!("1911-10-10");
        assert_eq!(
            date(&[&d], lang("zh-TW-roc")).unwrap(),
            json!("1911年10月10日")
        );
        let d = json!("1912-01-01");
        assert_eq!(
            date(&[&d], lang("zh-TW-roc")).unwrap(),
            json!("民國1年1月1日")
        );
    }

    #[test]
    fn dates_per_language() {
        let d = json!("2026-11-26");
        assert_eq!(date(&[&d], lang("en")).unwrap(), json!("26 November 2026"));
        assert_eq!(date(&[&d], lang("sv")).unwrap(), json!("26 november 2026"));
        assert_eq!(date(&[&d], lang("zh-TW")).unwrap(), json!("2026年11月26日"));
        assert!(date(&[&json!("26/11/2026")], lang("en")).is_err());
        // Only a calendar date written as a `date` term is.
        for wrong in ["2027-02-30", "2026-2-3", "2026-11-26T10:00", "20261126"] {
            assert_eq!(
                date(&[&json!(wrong)], lang("en")),
                Err(format!("`{wrong}` is not a date"))
            );
        }
        assert_eq!(
            date(&[&json!("2028-02-29")], lang("en")).unwrap(),
            json!("29 February 2028")
        );
    }

    #[test]
    fn join_and_numbers() {
        let l = json!(["culture", "education", "youth"]);
        assert_eq!(
            join(&[&l], lang("en")).unwrap(),
            json!("culture, education and youth")
        );
        assert_eq!(
            join(&[&l], lang("sv")).unwrap(),
            json!("culture, education och youth")
        );
        assert_eq!(ordinal(&[&json!(2)], lang("en")).unwrap(), json!("second"));
        assert_eq!(ordinal(&[&json!(22)], lang("en")).unwrap(), json!("22nd"));
        assert_eq!(count(&[&json!(3)], lang("en")).unwrap(), json!("three"));
    }

    #[test]
    fn amounts_with_currency() {
        assert_eq!(
            amount(&[&json!(25000), &json!("SEK")], lang("en")).unwrap(),
            json!("SEK 25,000")
        );
        assert_eq!(
            amount(&[&json!(1250.5), &json!("EUR")], lang("en")).unwrap(),
            json!("EUR 1,250.50")
        );
        assert_eq!(
            amount(&[&json!(1250.5), &json!("EUR")], lang("sv")).unwrap(),
            json!("1\u{a0}250,50 EUR")
        );
        assert_eq!(
            amount(&[&json!(999), &json!("TWD")], lang("zh-TW")).unwrap(),
            json!("999 TWD")
        );
        assert_eq!(
            amount(&[&json!(1234567), &json!("SEK")], lang("en")).unwrap(),
            json!("SEK 1,234,567")
        );
        assert!(amount(&[&json!("x"), &json!("SEK")], lang("en")).is_err());
    }

    /// An amount as handlebars reads a number literal in a template (`1250.50` → a float).
    fn literal(text: &str) -> Value {
        serde_json::from_str(text).unwrap()
    }

    fn amount_in(value: Value, code: &str) -> Result<Value, String> {
        amount(&[&value, &json!("EUR")], lang(code))
    }

    #[test]
    fn amounts_are_exact() {
        assert_eq!(
            amount_in(literal("1250.50"), "en"),
            Ok(json!("EUR 1,250.50"))
        );
        assert_eq!(
            amount_in(literal("1250.50"), "sv"),
            Ok(json!("1\u{a0}250,50 EUR"))
        );
        assert_eq!(amount_in(literal("0.29"), "en"), Ok(json!("EUR 0.29")));
        assert_eq!(amount_in(literal("0.3"), "en"), Ok(json!("EUR 0.30")));
        assert_eq!(amount_in(literal("1.10"), "en"), Ok(json!("EUR 1.10")));
        assert_eq!(amount_in(literal("2.00"), "en"), Ok(json!("EUR 2")));
        assert_eq!(
            amount_in(literal("-1250.5"), "en"),
            Ok(json!("−EUR 1,250.50"))
        );
        assert_eq!(amount_in(literal("-0.0"), "en"), Ok(json!("EUR 0")));
        assert_eq!(
            amount_in(literal("123456789012.34"), "en"),
            Ok(json!("EUR 123,456,789,012.34"))
        );
        assert_eq!(
            amount_in(literal("999999999999999"), "en"),
            Ok(json!("EUR 999,999,999,999,999"))
        );
        // Written as text, every digit is kept: in floating point, 2^46 + 0.01 is
        // 70368744177664.015625, and its cents came out as 02.
        assert_eq!(
            amount_in(json!("12345678901234.56"), "en"),
            Ok(json!("EUR 12,345,678,901,234.56"))
        );
        assert_eq!(
            amount_in(json!("12345678901234.56"), "sv"),
            Ok(json!("12\u{a0}345\u{a0}678\u{a0}901\u{a0}234,56 EUR"))
        );
        assert_eq!(
            amount_in(json!("70368744177664.01"), "en"),
            Ok(json!("EUR 70,368,744,177,664.01"))
        );
        assert_eq!(amount_in(json!("1250.50"), "en"), Ok(json!("EUR 1,250.50")));
        assert_eq!(amount_in(json!("25000"), "en"), Ok(json!("EUR 25,000")));
    }

    #[test]
    fn amounts_that_are_not_exact_are_refused() {
        // Rounded in floating point, 1.005 came out as 1.
        assert_eq!(
            amount_in(literal("1.005"), "en"),
            Err("1.005 has more than two decimals; an amount is written to the cent".into())
        );
        assert!(amount_in(json!("1.005"), "en").is_err());
        assert!(amount_in(literal("1.5e-7"), "en").is_err());
        // A literal past 15 digits may not be the number written (this one reads as .02 in
        // floating point): it is to be text.
        assert_eq!(
            amount_in(literal("70368744177664.01"), "en"),
            Err(
                "a number with decimals keeps 15 digits exactly, and 70368744177664.02 has \
                 more (it may not be the amount written); write the amount as text, in quotes"
                    .into()
            )
        );
        assert!(amount_in(literal("12345678901234.56"), "en").is_err());
        assert_eq!(
            amount_in(literal("1000000000000000"), "en"),
            Err("1000000000000000 is not an amount".into())
        );
        assert_eq!(
            amount_in(literal("1e15"), "en"),
            Err("1000000000000000 is not an amount".into())
        );
        assert_eq!(
            amount_in(literal("1e16"), "en"),
            Err("10000000000000000 is not an amount".into())
        );
        assert!(amount_in(literal("-1e15"), "en").is_err());
        assert!(amount_in(json!("99999999999999999999999999999999"), "en").is_err());
        for wrong in ["", "x", "1,5", "1 000", "EUR 5"] {
            assert_eq!(
                amount_in(json!(wrong), "en"),
                Err("needs a number".into()),
                "{wrong}"
            );
        }
        assert_eq!(amount_in(json!(true), "en"), Err("needs a number".into()));
    }

    #[test]
    fn defined_terms_per_language() {
        let malmo = json!({"official_name": "City of Malmö", "short_name": "Malmö"});
        let khh = json!({"official_name": "Kaohsiung City Government", "short_name": "Kaohsiung"});
        assert_eq!(
            defined(&[&malmo], lang("en")).unwrap(),
            json!("the City of Malmö (hereinafter “Malmö”)")
        );
        assert_eq!(
            defined(&[&khh], lang("en")).unwrap(),
            json!("the Kaohsiung City Government (hereinafter “Kaohsiung”)")
        );
        assert_eq!(
            defined(&[&malmo], lang("sv")).unwrap(),
            json!("City of Malmö (nedan kallad ”Malmö”)")
        );
        assert_eq!(
            defined(&[&khh], lang("zh-TW")).unwrap(),
            json!("Kaohsiung City Government（以下簡稱「Kaohsiung」）")
        );
    }

    #[test]
    fn names_take_the_article_their_head_noun_takes() {
        let named_in = |name: Value, case: &str, code: &str| {
            named(&[&name, &json!(case)], lang(code)).unwrap()
        };
        let berg = json!({"official_name": "Gemeinde Berg", "short_name": "Berg"});
        assert_eq!(
            named_in(berg.clone(), "accusative", "de"),
            json!("die Gemeinde Berg")
        );
        assert_eq!(
            named_in(berg.clone(), "dative", "de"),
            json!("der Gemeinde Berg")
        );
        let osterode = json!("Landkreis Osterode am Harz");
        assert_eq!(
            named_in(osterode.clone(), "dative", "de"),
            json!("dem Landkreis Osterode am Harz")
        );
        assert_eq!(
            named_in(osterode, "genitive", "de"),
            json!("des Landkreises Osterode am Harz")
        );
        assert_eq!(
            named_in(json!("Große Kreisstadt Weinheim"), "dative", "de"),
            json!("der Großen Kreisstadt Weinheim")
        );
        assert_eq!(
            named_in(json!("Markt Berchtesgaden"), "accusative", "de"),
            json!("den Markt Berchtesgaden")
        );
        // The longest head, as a whole word: not "Land" in "Landkreis" or "Landau".
        assert_eq!(
            named_in(json!("Landau in der Pfalz"), "dative", "de"),
            json!("Landau in der Pfalz")
        );
        // A bare place name, a name in another language, and English, as given.
        assert_eq!(
            named_in(json!("Krostitz"), "dative", "de"),
            json!("Krostitz")
        );
        assert_eq!(
            named_in(json!("Bergs kommun"), "dative", "de"),
            json!("Bergs kommun")
        );
        assert_eq!(
            named_in(json!("City of Malmö"), "dative", "en"),
            json!("City of Malmö")
        );
        // A sentence opens with it.
        let mut de = lang("de");
        de.capital = true;
        assert_eq!(
            named(&[&berg, &json!("nominative")], de).unwrap(),
            json!("Die Gemeinde Berg")
        );
        // The form the party's terms give wins.
        let powiat = json!({
            "official_name": "Powiat Ostródzki",
            "forms": [{"language": "de", "dative": "dem Powiat Ostródzki"}],
        });
        assert_eq!(
            named_in(powiat.clone(), "dative", "de"),
            json!("dem Powiat Ostródzki")
        );
        assert_eq!(
            named_in(powiat, "accusative", "de"),
            json!("Powiat Ostródzki")
        );
        assert!(named(&[&berg], lang("de")).is_err());
    }

    #[test]
    fn german_defined_terms_take_their_article() {
        let berg = json!({"official_name": "Gemeinde Berg", "short_name": "Berg (Bayern)"});
        assert_eq!(
            defined(&[&berg], lang("de")).unwrap(),
            json!("die Gemeinde Berg (im Folgenden „Berg (Bayern)“)")
        );
    }
}
