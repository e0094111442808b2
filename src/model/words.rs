//! The layout's own words in one language ("Article 3", "For the City of Lund", the DRAFT
//! footer) and how its text is set, read from `templates/shared/words/<lang>.yaml`. A new
//! language is a new file there, not Rust.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::TextSettings;

/// One language's words, as its file gives them. `{n}` stands for a number, `{party}` for a
/// party's name.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Words {
    pub text: TextSettings,
    /// How numbers in labels are written: `arabic` (3) or `chinese` (三).
    pub numerals: Numerals,
    /// List markers by depth (the first for the outermost list, the last for any deeper):
    /// `numbered` with `{n}` in this language's numerals or `{1}` in Arabic ones, `bulleted`
    /// as written. By default "1." and "•"; Chinese legal text numbers every list, 一、 then
    /// （一） then 1、.
    #[serde(default)]
    pub list_markers: ListMarkers,
    pub article: String,
    pub reference: String,
    pub annex: String,
    pub draft: String,
    /// The word drawn across every page of a draft ("UTKAST", "草案"); without it, what
    /// `draft` says before the round.
    #[serde(default)]
    pub draft_mark: Option<String>,
    pub original_for: String,
    /// Before the parties in the title block; may be empty.
    pub between: String,
    pub and: String,
    pub for_party: String,
    pub place_date: String,
    pub signature: String,
    pub witnesses: String,
    /// Over a co-signatory's block: the capacity they sign in ("With the co-signature of"),
    /// never under the party's "For …" heading, which is its representative's.
    pub co_signature: String,
    /// Between a label and a title ("Annex 1: Action plan"; Chinese "：").
    pub title_separator: String,
    /// A redline's note beside an inserted or deleted article or list item.
    pub inserted: String,
    pub deleted: String,
    /// The redline's head in this language: the changed terms' heading, the line naming what
    /// is unchanged (`{parts}`: "Articles 1, 3 and Preamble"), several articles (`{n}`: their
    /// numbers, "Articles 1, 3, 5–6") and the preamble's name. English where a pack gives none.
    #[serde(default)]
    pub redline: RedlineWords,
    /// Beside a moved article; `{label}` is where it stood ("Moved from Article 4").
    pub moved_from: String,
    /// Beside a list item made of several; `{items}` lists their numbers ("2 and 3").
    pub merged: String,
    /// Beside each part of a list item split in several; `{n}` is its old number.
    pub split: String,
    /// Between a place and a date ("Lund, 15 October 2027"; Chinese "，").
    pub list_separator: String,
    /// How the signature block writes where and when a person signs: `{place}` and `{date}`
    /// ("Lund den 15 oktober 2027", Chinese "2027年10月15日於隆德"); without it, the place and
    /// the date with `list_separator` between them.
    #[serde(default)]
    pub place_and_date: Option<String>,
    /// How a witness's title and organisation stand together: `{title}` and `{organisation}`
    /// (Chinese "駐瑞典台北代表團代表"); without it, the title, `list_separator`, the organisation.
    #[serde(default)]
    pub witness_title: Option<String>,
    /// A signatory's title and name as one line, where the language writes them so
    /// (`{title}　{name}`: Chinese "市長　王淑芬"); without it, the name over the title.
    #[serde(default)]
    pub signatory: Option<String>,

    // ---- what the template helpers write in this language ----
    /// The months, January first (`{{date}}`).
    pub months: Vec<String>,
    /// A long date: `{d}` day, `{m}` month number, `{month}` its name, `{y}` year.
    pub date: String,
    /// A date in the Republic of China calendar (`zh_calendar: roc`): `{roc}` is the year.
    #[serde(default)]
    pub date_roc: Option<String>,
    /// Ordinals in words from "first" (`{{ordinal}}`); past the list, [`Words::ordinal_digits`].
    pub ordinals: Vec<String>,
    /// An ordinal in digits: `{n}th` (English adds st, nd, rd as due), `{n}:e`, `{n}.`; with
    /// Chinese numerals, `第{n}`.
    pub ordinal_digits: String,
    /// Cardinals in words from zero (`{{count}}`); past the list, the number's numerals.
    pub cardinals: Vec<String>,
    /// "and" before a list's last item (`{{join}}`), when it is not [`Words::and`] (Chinese
    /// 及 rather than the title block's 與).
    #[serde(default)]
    pub join_and: Option<String>,
    /// "or", for `{{join list "or"}}`.
    pub or: String,
    /// Between items of a list before the last (`{{join}}`): ", ", Chinese "、".
    pub join_separator: String,
    /// Amounts (`{{amount}}`).
    pub amount: AmountFormat,
    /// A party defined by its short name (`{{defined}}`): `{name}`, `{short}`.
    pub defined: String,
    /// Official names that take "the" before them in running text, by how they open ("City
    /// of ").
    #[serde(default)]
    pub defined_the: Vec<String>,
    /// The nouns that make an official name take "the" wherever they stand in it, as whole
    /// words ("Office": "the Taipei Economic and Cultural Office, Prague"; "Government": "the
    /// Tainan City Government").
    #[serde(default)]
    pub the_nouns: Vec<String>,
    /// How the text names the parties, by designation (`cities`, `counties`, `parties`,
    /// `participants`, …), in the forms this language needs: en `one`, `many`; sv also
    /// `one_definite`, `many_definite`; de `many_dative`, `gender`; zh-TW `two` (雙方, 兩市).
    #[serde(default)]
    pub designations:
        std::collections::BTreeMap<String, std::collections::BTreeMap<String, String>>,
    /// The names of languages as this language writes them in running text, by code.
    pub languages: std::collections::BTreeMap<String, String>,
    /// This language's own name as other languages write it, by their code (`ja.yaml`:
    /// `named_in: {en: Japanese, sv: japanska}`): a pack names its language in the languages
    /// pactum ships without editing their words. A language's own `languages` entry wins.
    #[serde(default)]
    pub named_in: std::collections::BTreeMap<String, String>,
    /// How a party's name is declined in the phrases built around it ("Für die Gemeinde
    /// Berg", "zwischen dem Landkreis Osterode am Harz"); none in a language without cases.
    #[serde(default)]
    pub name_forms: NameForms,
    /// What the parity check (`pactum check`) reads numbers, dates and counts by in this
    /// language, beyond the words above (see [`ParityWords`]).
    #[serde(default)]
    pub parity: ParityWords,
    /// Article and annex numbers in Roman numerals (`numbering: roman`), where this language
    /// writes Arabic ones; set by fill, never in the file.
    #[serde(skip)]
    pub roman: bool,
    /// Articles carry no number (`numbering: none`): each is its heading, or its text alone,
    /// and a reference names the heading; set by fill, never in the file.
    #[serde(skip)]
    pub unnumbered: bool,
}

/// How a language declines a party's name (`name_forms` in its words file): the case each of
/// the layout's phrases puts the name in, the article by gender and case, and the nouns that
/// head a name. A name headed by none of these nouns (a bare place name, "Krostitz") is
/// printed as given, and so is every name in a language whose file gives no `name_forms`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NameForms {
    /// The case of a name after each of the layout's phrases, by the words key that writes the
    /// phrase: `between` (the title block), `for_party` (the signature block), `original_for`
    /// (a counterpart's mark), `defined` (the parties in the preamble).
    #[serde(default)]
    pub cases: BTreeMap<String, String>,
    /// The article by gender (`f`, `m`, `n`) and case (`nominative`, `dative`, …).
    #[serde(default)]
    pub articles: BTreeMap<String, BTreeMap<String, String>>,
    /// The nouns (one word or several) that head a name, as the name opens with them
    /// ("Gemeinde", "Große Kreisstadt"): `gender`, and the noun's own form in a case where it
    /// changes (`genitive: Landkreises`, `dative: Großen Kreisstadt`). The designations' nouns
    /// (`designations: … one`, with their `gender`) head names too.
    #[serde(default)]
    pub heads: BTreeMap<String, BTreeMap<String, String>>,
}

/// How the parity check reads this language (`parity` in its words file): the words that
/// stand for numbers besides `cardinals` and `ordinals`, the units a count is made of, how
/// percentages and currencies are written, more ways to write a date than `date`, and phrases
/// whose numbers are no count. Everything has a default of nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParityWords {
    /// Words that stand for a number ("a": 1 before a unit, as in "a year"; "dozen": 12).
    #[serde(default)]
    pub numbers: BTreeMap<String, u64>,
    /// Units a count is made of, each as how many of a base unit it is: `year: [12, month]`,
    /// so that "a year" and "12 months" are one count.
    #[serde(default)]
    pub units: BTreeMap<String, (u64, String)>,
    /// What follows a percentage ("%", "percent", "procent").
    #[serde(default)]
    pub percent: Vec<String>,
    /// What comes before a percentage (Chinese "百分之").
    #[serde(default)]
    pub percent_before: Vec<String>,
    /// Currencies written as words, by their ISO code ("kronor": SEK, "歐元": EUR).
    #[serde(default)]
    pub currencies: BTreeMap<String, String>,
    /// More ways this language writes a date than `date` and `date_roc`: the same slots
    /// (`{d}`, `{m}`, `{month}`, `{y}`, `{roc}`), a year or a day may be left out.
    #[serde(default)]
    pub dates: Vec<String>,
    /// Numbered parts of other texts, `{n}` in any numerals, Roman ones too ("Chapter {n}",
    /// "第{n}章"): their number is read as a number ("Chapter V" is 5).
    #[serde(default)]
    pub labels: Vec<String>,
    /// Phrases whose numbers are no count ("one of", Chinese "一致", "雙方").
    #[serde(default)]
    pub ignore: Vec<String>,
}

/// The redline's head and its summary in one language (see [`Words::redline`]): the words
/// `crate::diff::summary` writes its sentences with. Every key is optional; a pack that gives
/// none reads English.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RedlineWords {
    pub changed_terms: String,
    pub unchanged: String,
    pub articles: String,
    pub preamble: String,
    /// The head's first line: `{old}` and `{new}` are [`Self::dated`] rounds.
    pub title: String,
    /// Every page's footer: `{old}` and `{new}` are [`Self::round`]s.
    pub footer: String,
    /// A negotiation round, `{n}` ("round 2", "omgång 2", "第2輪").
    pub round: String,
    /// A round with its date, `{round}` and `{date}` ("round 2 (5 July 2027)").
    pub dated: String,
    /// `{place}` (an article, "Article 9 “Termination”", or a term's label) was added,
    /// deleted, or changed in a way no value shows.
    pub added: String,
    pub removed: String,
    pub changed: String,
    /// `{place}` and what changed in its text or value (`{changes}`).
    pub changes: String,
    /// One change in a text: `{text}` added, removed; `{old}` replaced by `{new}`.
    pub text_added: String,
    pub text_removed: String,
    pub replaced: String,
    /// A quotation in this language ("“{text}”", "”{text}”", "「{text}」").
    pub quote: String,
    /// An article moved: `{place}` from `{from}` (the label it had).
    pub moved: String,
    /// A renumbered article: `{new}` (its number now) and `{old}`.
    pub was: String,
    /// Articles that kept their text but not their number: `{parts}` ("Article 10 (was 9)").
    pub renumbered: String,
    /// A text given per language changed in some of them: `{changed}` and `{unchanged}` list
    /// the languages by this language's names for them.
    pub one_language: String,
    /// A yes-or-no term's values.
    pub yes: String,
    pub no: String,
    /// Terms by their key (`signing: Signing`, `date: date`): what a change outside the text
    /// of an article is called. A key with no label here is named by the part it belongs to.
    pub terms: BTreeMap<String, String>,
    /// What a change with no label and no article is called ("The terms").
    pub the_terms: String,
    /// Two rounds that say the same ("No changes.").
    pub no_changes: String,
}

impl Default for RedlineWords {
    fn default() -> Self {
        let s = |x: &str| x.to_string();
        RedlineWords {
            changed_terms: s("Changed terms"),
            unchanged: s("{parts} unchanged"),
            articles: s("Articles {n}"),
            preamble: s("Preamble"),
            title: s("Redline: {old} → {new}"),
            footer: s("Redline {old} → {new}"),
            round: s("round {n}"),
            dated: s("{round} ({date})"),
            added: s("{place} inserted"),
            removed: s("{place} deleted"),
            changed: s("{place} changed"),
            changes: s("{place}: {changes}"),
            text_added: s("added {text}"),
            text_removed: s("removed {text}"),
            replaced: s("{old} → {new}"),
            quote: s("“{text}”"),
            moved: s("{place} moved from {from}"),
            was: s("{new} (was {old})"),
            renumbered: s("{parts} renumbered"),
            one_language: s("changed in {changed} only; {unchanged} unchanged"),
            yes: s("yes"),
            no: s("no"),
            terms: BTreeMap::new(),
            the_terms: s("The terms"),
            no_changes: s("No changes."),
        }
    }
}

/// How a language marks list items, by depth.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListMarkers {
    pub numbered: Vec<String>,
    pub bulleted: Vec<String>,
}

impl Default for ListMarkers {
    fn default() -> Self {
        ListMarkers {
            numbered: vec!["{1}.".into()],
            bulleted: vec!["•".into()],
        }
    }
}

/// How a language writes an amount of money.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AmountFormat {
    /// Between groups of three digits.
    pub group: String,
    /// Before the decimals.
    pub decimal: String,
    /// `{amount}` and `{currency}`: "{currency} {amount}", "{amount} {currency}".
    pub pattern: String,
}

/// How numbers in labels are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Numerals {
    Arabic,
    Chinese,
}

impl Words {
    /// `pattern` with `{n}` replaced by `n` in this language's numerals.
    pub fn numbered(&self, pattern: &str, n: u32) -> String {
        pattern.replace("{n}", &self.numeral(u64::from(n)))
    }

    /// `pattern` with `{n}` replaced by `n` as article and annex labels number it: Roman
    /// numerals with `numbering: roman` in a language that writes Arabic ones ("Article III"),
    /// else this language's numerals ("第三條").
    pub fn label(&self, pattern: &str, n: u32) -> String {
        if self.roman && self.numerals == Numerals::Arabic {
            pattern.replace("{n}", &roman(n))
        } else {
            self.numbered(pattern, n)
        }
    }

    /// The marker of item `n` of a list at `depth` (0 for the outermost).
    pub fn list_marker(&self, ordered: bool, depth: usize, n: u32) -> String {
        let patterns = if ordered {
            &self.list_markers.numbered
        } else {
            &self.list_markers.bulleted
        };
        let pattern = patterns
            .get(depth)
            .or(patterns.last())
            .map_or("{1}.", String::as_str);
        pattern
            .replace("{n}", &self.numeral(u64::from(n)))
            .replace("{1}", &n.to_string())
    }

    /// Article `n`'s label: "Article 3", "Artikel III", "第三條"; none with `numbering: none`.
    pub fn article_label(&self, n: u32) -> String {
        if self.unnumbered {
            String::new()
        } else {
            self.label(&self.article, n)
        }
    }

    /// How the text refers to article `n` headed `heading`: "Article 3"; with `numbering:
    /// none`, its heading in this language's quotation marks (those of its defined terms:
    /// “Visits”, ”Besök”, „Besuche“, 「互訪」).
    pub fn reference_to(&self, n: u32, heading: &str) -> String {
        if !self.unnumbered {
            return self.label(&self.reference, n);
        }
        let (open, close) = self
            .defined
            .split_once("{short}")
            .and_then(|(before, after)| Some((before.chars().last()?, after.chars().next()?)))
            .unwrap_or(('“', '”'));
        format!("{open}{heading}{close}")
    }

    /// Whether an official name takes "the" in running text ("the City of Lund", "the Tainan
    /// City Government"); never one that already opens with an article.
    pub fn takes_the(&self, name: &str) -> bool {
        let words: Vec<&str> = name
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        if words.first().is_some_and(|w| w.eq_ignore_ascii_case("the")) {
            return false;
        }
        self.defined_the
            .iter()
            .any(|p| name.starts_with(p.as_str()))
            || self.the_nouns.iter().any(|n| words.contains(&n.as_str()))
    }

    /// `n` in this language's numerals (3, 三).
    pub fn numeral(&self, n: u64) -> String {
        match self.numerals {
            Numerals::Arabic => n.to_string(),
            Numerals::Chinese => chinese_number(n),
        }
    }

    /// `pattern` with `{party}` replaced by `party`.
    pub fn for_party(pattern: &str, party: &str) -> String {
        pattern.replace("{party}", party)
    }

    /// The signature block's "For …" line: `for_party` with the party's name, and its country
    /// where the pattern places it (`{country}`: Chinese "瑞典隆德市代表"), else after a
    /// separator ("For the City of Lund, Sweden").
    pub fn for_party_from(&self, party: &str, country: &str) -> String {
        let line = Words::for_party(&self.for_party, party);
        if line.contains("{country}") {
            line.replace("{country}", country)
        } else if country.is_empty() {
            line
        } else {
            format!("{line}{}{country}", self.list_separator)
        }
    }

    /// The case the phrase written by the words key `phrase` (`between`, `for_party`,
    /// `original_for`, `defined`) puts a party's name in; `None` in a language without cases.
    pub fn case_of(&self, phrase: &str) -> Option<&str> {
        self.name_forms.cases.get(phrase).map(String::as_str)
    }

    /// A party's name as it stands in `case` ("dative"): with the article its head noun takes
    /// in that case, and the noun in that case's form ("dem Landkreis Osterode am Harz", "des
    /// Landkreises Ostróda", "der Großen Kreisstadt Weinheim"); `None` when no noun this
    /// language knows heads the name, or the language gives no article for its gender and case.
    pub fn declined(&self, name: &str, case: &str) -> Option<String> {
        let forms = &self.name_forms;
        // The longest head the name opens with, as a whole word: "Große Kreisstadt" before
        // "Große", "Landkreis" not in "Landkreisverband".
        let designated = self.designations.values().filter_map(|d| {
            let gender = d.get("gender")?;
            let noun = d.get("one")?;
            Some((
                noun,
                BTreeMap::from([("gender".to_string(), gender.clone())]),
            ))
        });
        // The designations first: of two heads as long, the last is taken, and `heads` says
        // more (a genitive).
        let heads: Vec<(&String, BTreeMap<String, String>)> = designated
            .chain(forms.heads.iter().map(|(noun, f)| (noun, f.clone())))
            .collect();
        let (noun, head) = heads
            .iter()
            .filter(|(noun, _)| {
                name.strip_prefix(noun.as_str())
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with(char::is_whitespace))
            })
            .max_by_key(|(noun, _)| noun.len())?;
        let rest = &name[noun.len()..];
        let in_case = head.get(case).unwrap_or(noun);
        // A language without articles (Polish) declines the noun alone: "Powiatem", "Gminą".
        if forms.articles.is_empty() {
            return Some(format!("{in_case}{rest}"));
        }
        let article = forms.articles.get(head.get("gender")?)?.get(case)?;
        Some(format!("{article} {in_case}{rest}"))
    }

    /// A party's name where the phrase written by the words key `phrase` puts it: declined in
    /// the case the phrase needs ([`Words::declined`]), else as given.
    pub fn named(&self, phrase: &str, name: &str) -> String {
        self.case_of(phrase)
            .and_then(|case| self.declined(name, case))
            .unwrap_or_else(|| name.to_string())
    }
}

/// `n` in Roman numerals (`XIV`), for 1–3999; digits beyond.
pub fn roman(n: u32) -> String {
    if n == 0 || n >= 4000 {
        return n.to_string();
    }
    const PARTS: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut n = n;
    let mut out = String::new();
    for (value, letters) in PARTS {
        while n >= value {
            out.push_str(letters);
            n -= value;
        }
    }
    out
}

/// `n` in Chinese numerals (`二十一`), for 0–9999; digits beyond.
pub fn chinese_number(n: u64) -> String {
    const DIGITS: [&str; 10] = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    if n >= 10_000 {
        return n.to_string();
    }
    if n < 10 {
        return DIGITS[n as usize].to_string();
    }
    let mut out = String::new();
    let mut zero = false;
    for (unit, name) in [(1000, "千"), (100, "百"), (10, "十"), (1, "")] {
        let d = (n / unit) % 10;
        if d == 0 {
            zero = !out.is_empty();
            continue;
        }
        if zero {
            out.push('〇');
            zero = false;
        }
        if !(unit == 10 && d == 1 && n < 20) {
            out.push_str(DIGITS[d as usize]);
        }
        out.push_str(name);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roman_numbers() {
        assert_eq!(roman(3), "III");
        assert_eq!(roman(14), "XIV");
        assert_eq!(roman(49), "XLIX");
        assert_eq!(roman(2027), "MMXXVII");
    }

    #[test]
    fn chinese_numbers() {
        assert_eq!(chinese_number(3), "三");
        assert_eq!(chinese_number(12), "十二");
        assert_eq!(chinese_number(21), "二十一");
        assert_eq!(chinese_number(105), "一百〇五");
    }
}
