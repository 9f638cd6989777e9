//! serde's view of the source: its attributes (`rename`, `rename_all`,
//! `default`, `tag`, `deserialize_with`, `skip`), the `///` docs, and the
//! default values a field takes when left out.

use syn::{Attribute, Expr, Lit};

use super::extract::{Ctx, Def, Default, Ty};

pub(super) fn derives_deserialize(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("derive") && {
            let mut found = false;
            let _ = a.parse_nested_meta(|m| {
                found |= m
                    .path
                    .segments
                    .last()
                    .is_some_and(|s| s.ident == "Deserialize");
                Ok(())
            });
            found
        }
    })
}

/// The `///` text: lines joined, a blank line a paragraph break ("\n").
pub(super) fn doc(attrs: &[Attribute]) -> String {
    let mut lines = Vec::new();
    for a in attrs {
        if let syn::Meta::NameValue(nv) = &a.meta {
            if nv.path.is_ident("doc") {
                if let Expr::Lit(syn::ExprLit {
                    lit: Lit::Str(s), ..
                }) = &nv.value
                {
                    lines.push(s.value().trim().to_string());
                }
            }
        }
    }
    let mut out = String::new();
    for l in lines {
        if l.is_empty() {
            out.push('\n');
        } else {
            if !out.is_empty() && !out.ends_with('\n') {
                out.push(' ');
            }
            out.push_str(&l);
        }
    }
    out.trim().to_string()
}

/// serde's attributes on an item, field or variant.
#[derive(Default)]
pub(super) struct Serde {
    pub(super) rename: Option<String>,
    pub(super) rename_all: Option<String>,
    /// `default`: Some(None); `default = "f"`: Some(Some(f)).
    pub(super) default: Option<Option<String>>,
    pub(super) tag: Option<String>,
    pub(super) deserialize_with: Option<String>,
    pub(super) skip: bool,
}

pub(super) fn serde(attrs: &[Attribute]) -> Result<Serde, String> {
    let mut s = Serde::default();
    for a in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        a.parse_nested_meta(|m| {
            let key = m
                .path
                .get_ident()
                .map(|i| i.to_string())
                .unwrap_or_default();
            let value = if m.input.peek(syn::Token![=]) {
                Some(m.value()?.parse::<syn::LitStr>()?.value())
            } else {
                None
            };
            match key.as_str() {
                "rename" => s.rename = value,
                "rename_all" => s.rename_all = value,
                "default" => s.default = Some(value),
                "tag" => s.tag = value,
                "deserialize_with" => s.deserialize_with = value,
                "skip" | "skip_deserializing" => s.skip = true,
                _ => {}
            }
            Ok(())
        })
        .map_err(|e| format!("#[serde(...)]: {e}"))?;
    }
    Ok(s)
}

pub(super) fn snake(camel: &str) -> String {
    let mut out = String::new();
    for (i, c) in camel.chars().enumerate() {
        if c.is_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

pub(super) fn renamed(ident: &str, own: &Serde, all: Option<&str>) -> Result<String, String> {
    if let Some(r) = &own.rename {
        return Ok(r.clone());
    }
    match all {
        None => Ok(ident.to_string()),
        Some("snake_case") => Ok(snake(ident)),
        Some(other) => Err(format!(
            "rename_all = {other:?} is not handled by the reference"
        )),
    }
}

pub(super) fn type_default(ty: &Ty) -> Default {
    match ty {
        Ty::Int | Ty::Num => Default::Value("0".into()),
        Ty::Bool => Default::Value("false".into()),
        Ty::Str => Default::Value("\"\"".into()),
        Ty::Table => Default::Fields,
        _ => Default::Empty,
    }
}

/// A literal as TOML writes it: `1`, `"7.0"`, `true`; an enum variant as its string.
pub(super) fn literal(cx: &Ctx, e: &Expr) -> Option<String> {
    match e {
        Expr::Lit(l) => match &l.lit {
            Lit::Int(i) => Some(i.base10_digits().to_string()),
            Lit::Float(f) => Some(f.base10_digits().to_string()),
            Lit::Bool(b) => Some(b.value.to_string()),
            Lit::Str(s) => Some(format!("{:?}", s.value())),
            _ => None,
        },
        Expr::MethodCall(m) if m.method == "into" || m.method == "to_string" => {
            literal(cx, &m.receiver)
        }
        Expr::Path(p) if p.path.segments.len() == 2 => {
            let en = p.path.segments[0].ident.to_string();
            let var = p.path.segments[1].ident.to_string();
            let Some(Def::Enum(e)) = cx.types.get(&en) else {
                return None;
            };
            let all = serde(&e.attrs).ok()?.rename_all;
            let v = e.variants.iter().find(|v| v.ident == var)?;
            Some(format!(
                "{:?}",
                renamed(&var, &serde(&v.attrs).ok()?, all.as_deref()).ok()?
            ))
        }
        _ => None,
    }
}

/// The value a `#[serde(default = "f")]` function returns.
pub(super) fn fn_value(cx: &Ctx, func: &str, path: &str) -> Result<String, String> {
    let f = cx
        .fns
        .get(func)
        .ok_or_else(|| format!("{path}: default function {func} not found"))?;
    match f.block.stmts.last() {
        Some(syn::Stmt::Expr(e, None)) => literal(cx, e),
        _ => None,
    }
    .ok_or_else(|| format!("{path}: default function {func} does not return a literal"))
}

/// A field's value in `impl Default for <ty>` (a struct-wide `#[serde(default)]`).
pub(super) fn struct_default(
    cx: &Ctx,
    ty: &str,
    field: &str,
    path: &str,
) -> Result<String, String> {
    let f = cx
        .defaults
        .get(ty)
        .ok_or_else(|| format!("{path}: no `impl Default for {ty}`"))?;
    let lit = f.block.stmts.iter().find_map(|s| match s {
        syn::Stmt::Expr(Expr::Struct(st), None) => {
            st.fields.iter().find_map(|fv| match &fv.member {
                syn::Member::Named(i) if i == field => literal(cx, &fv.expr),
                _ => None,
            })
        }
        _ => None,
    });
    lit.ok_or_else(|| format!("{path}: its value in `impl Default for {ty}` is not a literal"))
}
