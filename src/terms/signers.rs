//! Who signs for which party: each signing party's names (official and short, in every
//! language) and its signatories' names, read from terms, so that a signer's certificate
//! finds the party whose signature block it signs (`pactum sign` names the signature field
//! after that party and puts it on the page of the signature block).

use serde_json::Value;

/// A party that signs, with everything that may name it or its signatories.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigningParty {
    /// The short name in the first language, as written (`Malmö`).
    pub short_name: String,
    /// The official and short names, in every language.
    pub names: Vec<String>,
    /// The representative's and co-signatory's names, in every language.
    pub people: Vec<String>,
}

/// Terms larger than this are not read for signers (the attached terms are a few kB).
const MAX_TERMS: usize = 4 << 20;

/// The signing parties of terms given as YAML bytes (empty when they do not read).
pub fn signing_parties(yaml: &[u8]) -> Vec<SigningParty> {
    if yaml.len() > MAX_TERMS {
        return Vec::new();
    }
    let Ok(terms) = serde_yaml_ng::from_slice::<Value>(yaml) else {
        return Vec::new();
    };
    let parties = terms.get("parties").and_then(Value::as_array);
    parties
        .into_iter()
        .flatten()
        .filter(|p| p.get("signs").and_then(Value::as_bool) != Some(false))
        .map(|p| {
            let mut names = texts(p.get("official_name"));
            let short = texts(p.get("short_name"));
            let short_name = short.first().cloned().unwrap_or_default();
            names.extend(short);
            let mut people = Vec::new();
            for who in ["representative", "co_signatory"] {
                people.extend(texts(p.get(who).and_then(|s| s.get("name"))));
            }
            SigningParty {
                short_name,
                names,
                people,
            }
        })
        .collect()
}

/// A text term's values: the string, or each language's string.
fn texts(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Object(m)) => m
            .values()
            .filter_map(Value::as_str)
            .map(String::from)
            .collect(),
        _ => Vec::new(),
    }
}

/// The party a certificate names: its common name is one of the party's signatories, or its
/// organisation is the party's official or short name (letters and digits compared, case and
/// accents ignored). The first match wins.
pub fn party_of<'a>(
    parties: &'a [SigningParty],
    common_name: Option<&str>,
    organization: Option<&str>,
) -> Option<&'a SigningParty> {
    let key = |s: &str| -> String {
        deunicode::deunicode(s)
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect()
    };
    let is = |given: Option<&str>, among: &[String]| {
        given
            .map(key)
            .filter(|g| !g.is_empty())
            .is_some_and(|g| among.iter().any(|n| key(n) == g))
    };
    (parties.iter().find(|p| is(common_name, &p.people)))
        .or_else(|| parties.iter().find(|p| is(organization, &p.names)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_party_by_signatory_or_organisation() {
        let yaml = r#"
parties:
  - official_name: {en: City of Malmö, sv: Malmö stad}
    short_name: Malmö
    representative: {name: Karin Bergqvist, title: Chair}
  - official_name: Kaohsiung City Government
    short_name: {en: Kaohsiung, zh-TW: 高雄}
    representative: {name: {en: Lin Chia-hao, zh-TW: 林佳豪}, title: Mayor}
  - official_name: Observer
    short_name: Observer
    signs: false
"#;
        let parties = signing_parties(yaml.as_bytes());
        assert_eq!(parties.len(), 2);
        let name = |p: Option<&SigningParty>| p.map(|p| p.short_name.clone());
        assert_eq!(
            name(party_of(&parties, Some("LIN Chia-Hao"), None)),
            Some("Kaohsiung".into())
        );
        assert_eq!(
            name(party_of(&parties, Some("林佳豪"), None)),
            Some("Kaohsiung".into())
        );
        assert_eq!(
            name(party_of(&parties, Some("X"), Some("Malmo stad"))),
            Some("Malmö".into())
        );
        assert_eq!(party_of(&parties, Some("Someone"), Some("Elsewhere")), None);
        assert_eq!(party_of(&parties, None, None), None);
        assert!(signing_parties(b": not yaml [").is_empty());
    }
}
