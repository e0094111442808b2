//! Handlebars templates compiled at build time. `build.rs` compiles every built-in `.hbs`
//! file, writes the result in this module's serialisable [`Form`] and embeds it, so that a
//! render builds its templates from data instead of parsing them: 2–4 % of an English
//! render's time and 3–8 % of a trilingual one (`python3 benches/bench.py forms`, which sets
//! `PACTUM_MEASURE_NO_FORMS` to parse instead; see BENCHMARKS.md). A form leaves out one
//! thing, the line and column of each element: a render error in a built-in template is
//! found again by compiling its text.
//!
//! `build.rs` includes this file too (it depends only on handlebars, serde and serde_json),
//! and embeds a form only when [`template`] of it gives back exactly what handlebars compiled.

use std::collections::HashMap;

use handlebars::Path;
use handlebars::template::{
    BlockParam, DecoratorTemplate, ExpressionSpec, ExpressionSpecBuilder, HelperTemplate,
    Parameter, Subexpression, Template, TemplateElement,
};
use serde::{Deserialize, Serialize};

/// A compiled template without its name and line mapping.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Form(Vec<Element>);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
enum Element {
    Raw(String),
    Html(Box<Helper>),
    Expression(Box<Helper>),
    HelperBlock(Box<Helper>),
    DecoratorExpression(Box<Decorator>),
    DecoratorBlock(Box<Decorator>),
    PartialExpression(Box<Decorator>),
    PartialBlock(Box<Decorator>),
    Comment(String),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Helper {
    call: Call,
    block_param: Option<(Param, Option<Param>)>,
    template: Option<Form>,
    inverse: Option<Form>,
    block: bool,
    chain: bool,
    indent_before_write: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Decorator {
    call: Call,
    template: Option<Form>,
    indent: Option<String>,
    indent_before_write: bool,
}

/// A helper's or decorator's name and arguments; the hash sorted by key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Call {
    name: Param,
    params: Vec<Param>,
    hash: Vec<(String, Param)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
enum Param {
    Name(String),
    /// A path, by its text (read again with `Path::parse`).
    Path(String),
    Literal(serde_json::Value),
    Subexpression(Box<Element>),
}

/// The form of a compiled template (its name and line mapping left out). `None` when it holds
/// something this module cannot write back (then the template is compiled at run time).
#[allow(dead_code)] // used by build.rs and the tests
pub fn form(template: &Template) -> Option<Form> {
    template
        .elements
        .iter()
        .map(element_form)
        .collect::<Option<_>>()
        .map(Form)
}

/// The template a form stands for, named `name` (`None` if the form does not read back).
pub fn template(form: &Form, name: &str) -> Option<Template> {
    let mut t = build(form)?;
    t.name = Some(name.to_string());
    Some(t)
}

/// `template` without line mappings, at every depth: what [`template`] of its form must equal.
#[allow(dead_code)] // used by build.rs and the tests
pub fn without_mapping(template: &Template) -> Template {
    let mut t = template.clone();
    strip(&mut t);
    t
}

fn strip(t: &mut Template) {
    t.mapping.clear();
    for e in &mut t.elements {
        match e {
            TemplateElement::HtmlExpression(h)
            | TemplateElement::Expression(h)
            | TemplateElement::HelperBlock(h) => {
                h.template
                    .iter_mut()
                    .chain(h.inverse.iter_mut())
                    .for_each(strip);
            }
            TemplateElement::DecoratorExpression(d)
            | TemplateElement::DecoratorBlock(d)
            | TemplateElement::PartialExpression(d)
            | TemplateElement::PartialBlock(d) => d.template.iter_mut().for_each(strip),
            _ => {}
        }
    }
}

fn element_form(e: &TemplateElement) -> Option<Element> {
    Some(match e {
        TemplateElement::RawString(s) => Element::Raw(s.clone()),
        TemplateElement::Comment(s) => Element::Comment(s.clone()),
        TemplateElement::HtmlExpression(h) => Element::Html(Box::new(helper_form(h)?)),
        TemplateElement::Expression(h) => Element::Expression(Box::new(helper_form(h)?)),
        TemplateElement::HelperBlock(h) => Element::HelperBlock(Box::new(helper_form(h)?)),
        TemplateElement::DecoratorExpression(d) => {
            Element::DecoratorExpression(Box::new(decorator_form(d)?))
        }
        TemplateElement::DecoratorBlock(d) => Element::DecoratorBlock(Box::new(decorator_form(d)?)),
        TemplateElement::PartialExpression(d) => {
            Element::PartialExpression(Box::new(decorator_form(d)?))
        }
        TemplateElement::PartialBlock(d) => Element::PartialBlock(Box::new(decorator_form(d)?)),
        _ => return None,
    })
}

fn helper_form(h: &HelperTemplate) -> Option<Helper> {
    let block_param = match &h.block_param {
        None => None,
        Some(BlockParam::Single(p)) => Some((param_form(p)?, None)),
        Some(BlockParam::Pair((a, b))) => Some((param_form(a)?, Some(param_form(b)?))),
        Some(_) => return None,
    };
    let sub = |t: &Option<Template>| match t {
        None => Some(None),
        Some(t) => form(t).map(Some),
    };
    let mut helper = Helper {
        call: call_form(&h.name, &h.params, &h.hash)?,
        block_param,
        template: sub(&h.template)?,
        inverse: sub(&h.inverse)?,
        block: h.block,
        chain: h.chain,
        indent_before_write: false,
    };
    // The flag is private to handlebars: it is the value that builds an equal helper.
    let mut unmapped = h.clone();
    unmapped
        .template
        .iter_mut()
        .chain(unmapped.inverse.iter_mut())
        .for_each(strip);
    helper.indent_before_write = build_helper(&Helper {
        indent_before_write: true,
        ..helper.clone()
    })
    .is_some_and(|built| built == unmapped);
    Some(helper)
}

fn decorator_form(d: &DecoratorTemplate) -> Option<Decorator> {
    let mut decorator = Decorator {
        call: call_form(&d.name, &d.params, &d.hash)?,
        template: match &d.template {
            None => None,
            Some(t) => Some(form(t)?),
        },
        indent: d.indent.clone(),
        indent_before_write: false,
    };
    let mut unmapped = d.clone();
    unmapped.template.iter_mut().for_each(strip);
    decorator.indent_before_write = build_decorator(&Decorator {
        indent_before_write: true,
        ..decorator.clone()
    })
    .is_some_and(|built| built == unmapped);
    Some(decorator)
}

fn call_form(
    name: &Parameter,
    params: &[Parameter],
    hash: &HashMap<String, Parameter>,
) -> Option<Call> {
    let mut hash: Vec<(String, Param)> = hash
        .iter()
        .map(|(k, v)| param_form(v).map(|v| (k.clone(), v)))
        .collect::<Option<_>>()?;
    hash.sort_by(|a, b| a.0.cmp(&b.0));
    Some(Call {
        name: param_form(name)?,
        params: params.iter().map(param_form).collect::<Option<_>>()?,
        hash,
    })
}

fn param_form(p: &Parameter) -> Option<Param> {
    Some(match p {
        Parameter::Name(n) => Param::Name(n.clone()),
        Parameter::Path(Path::Relative((_, raw)) | Path::Local((_, _, raw))) => {
            Param::Path(raw.clone())
        }
        Parameter::Literal(v) => Param::Literal(v.clone()),
        Parameter::Subexpression(s) => Param::Subexpression(Box::new(element_form(&s.element)?)),
        _ => return None,
    })
}

fn build(form: &Form) -> Option<Template> {
    let mut t = Template::new();
    t.elements = form.0.iter().map(build_element).collect::<Option<_>>()?;
    Some(t)
}

fn build_element(e: &Element) -> Option<TemplateElement> {
    Some(match e {
        Element::Raw(s) => TemplateElement::RawString(s.clone()),
        Element::Comment(s) => TemplateElement::Comment(s.clone()),
        Element::Html(h) => TemplateElement::HtmlExpression(Box::new(build_helper(h)?)),
        Element::Expression(h) => TemplateElement::Expression(Box::new(build_helper(h)?)),
        Element::HelperBlock(h) => TemplateElement::HelperBlock(Box::new(build_helper(h)?)),
        Element::DecoratorExpression(d) => {
            TemplateElement::DecoratorExpression(Box::new(build_decorator(d)?))
        }
        Element::DecoratorBlock(d) => {
            TemplateElement::DecoratorBlock(Box::new(build_decorator(d)?))
        }
        Element::PartialExpression(d) => {
            TemplateElement::PartialExpression(Box::new(build_decorator(d)?))
        }
        Element::PartialBlock(d) => TemplateElement::PartialBlock(Box::new(build_decorator(d)?)),
    })
}

fn build_helper(h: &Helper) -> Option<HelperTemplate> {
    let block_param = match &h.block_param {
        None => None,
        Some((a, None)) => Some(BlockParam::Single(build_param(a)?)),
        Some((a, Some(b))) => Some(BlockParam::Pair((build_param(a)?, build_param(b)?))),
    };
    let spec = spec(&h.call, block_param)?;
    let mut built = if h.chain {
        HelperTemplate::new_chain(spec, h.block, h.indent_before_write)
    } else {
        HelperTemplate::new(spec, h.block, h.indent_before_write)
    };
    built.template = match &h.template {
        None => None,
        Some(t) => Some(build(t)?),
    };
    built.inverse = match &h.inverse {
        None => None,
        Some(t) => Some(build(t)?),
    };
    Some(built)
}

fn build_decorator(d: &Decorator) -> Option<DecoratorTemplate> {
    let mut built = DecoratorTemplate::new(spec(&d.call, None)?, d.indent_before_write);
    built.template = match &d.template {
        None => None,
        Some(t) => Some(build(t)?),
    };
    built.indent = d.indent.clone();
    Some(built)
}

/// The expression a helper or decorator is built from (its whitespace flags are not kept:
/// they only steer the parser).
fn spec(call: &Call, block_param: Option<BlockParam>) -> Option<ExpressionSpec> {
    let mut spec = ExpressionSpecBuilder::default();
    spec.name(build_param(&call.name)?)
        .params(call.params.iter().map(build_param).collect::<Option<_>>()?)
        .hash(
            call.hash
                .iter()
                .map(|(k, v)| build_param(v).map(|v| (k.clone(), v)))
                .collect::<Option<_>>()?,
        )
        .omit_pre_ws(false)
        .omit_pro_ws(false);
    if let Some(b) = block_param {
        spec.block_param(b);
    }
    spec.build().ok()
}

fn build_param(p: &Param) -> Option<Parameter> {
    Some(match p {
        Param::Name(n) => Parameter::Name(n.clone()),
        Param::Path(raw) => Parameter::Path(Path::parse(raw).ok()?),
        Param::Literal(v) => Parameter::Literal(v.clone()),
        Param::Subexpression(e) => {
            let mut sub =
                Subexpression::new(Parameter::Name(String::new()), vec![], HashMap::new());
            sub.element = Box::new(build_element(e)?);
            Parameter::Subexpression(sub)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::Catalog;

    /// Every built-in handlebars file has a compiled form (build.rs embeds one only when it
    /// reads back exactly), and it builds what handlebars compiles from the file's text.
    #[test]
    fn every_built_in_template_has_a_form_that_builds_what_its_text_compiles_to() {
        let catalog = Catalog::builtin();
        let files: Vec<_> = catalog
            .under("")
            .filter(|f| f.rel.ends_with(".hbs"))
            .collect();
        assert!(files.len() > 100, "{}", files.len());
        let mut missing = Vec::new();
        for file in files {
            let compiled = Template::compile_with_name(&file.text, "x".into()).unwrap();
            let Some(json) = file.compiled else {
                missing.push(file.rel.clone());
                continue;
            };
            let form: Form = serde_json::from_str(json).unwrap();
            assert_eq!(
                template(&form, "x"),
                Some(without_mapping(&compiled)),
                "{}",
                file.rel
            );
        }
        assert!(missing.is_empty(), "no compiled form: {missing:?}");
    }
}
