//! The parties' letterheads, built from the terms (`parties[].letterhead`): each party's image
//! (checked and read by the terms stage, [`crate::terms::assets`]) and its lines in every
//! language of the copy, side by side above the first title.

use serde_json::Value;

use super::signatures::Languages;
use crate::model::{Image, Letterhead, distinct_content};
use crate::terms::{Terms, in_language};

/// The name the layout reads a letterhead image by.
pub fn image_path(name: &str) -> String {
    format!("letterhead-{name}")
}

/// The letterheads of the parties that have one, in the parties' order.
pub fn build(terms: &Terms, languages: &Languages) -> Vec<Letterhead> {
    let parties = terms.value.get("parties").and_then(Value::as_array);
    parties
        .into_iter()
        .flatten()
        .filter_map(|party| Some((party, party.get("letterhead").filter(|l| l.is_object())?)))
        .map(|(party, letterhead)| {
            let first = languages.first().map_or("en", |(lang, _)| lang);
            let party = in_language(&party["official_name"], first)
                .as_str()
                .unwrap_or_default()
                .to_string();
            let image = letterhead
                .get("image")
                .and_then(Value::as_str)
                .and_then(|name| terms.assets.iter().find(|a| a.name == name))
                .map(|asset| Image {
                    path: image_path(&asset.name),
                    mime: asset.kind.mime().to_string(),
                    width: asset.width,
                    height: asset.height,
                    bytes: asset.bytes.clone(),
                });
            let lines = letterhead
                .get("lines")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .flat_map(|line| {
                    distinct_content(languages.iter().map(|(lang, _)| {
                        crate::terms::squash(in_language(line, lang).as_str().unwrap_or_default())
                    }))
                })
                .collect();
            Letterhead {
                party,
                image,
                lines,
            }
        })
        .collect()
}
