//! From the parsed source files to the tables of the reference: follows the
//! field types from `Scenario`, honouring serde's `rename`, `rename_all`,
//! `default`, `tag` and `deserialize_with`.

use std::collections::BTreeMap;

use syn::{Fields, Item, Type};

use super::attrs::{
    derives_deserialize, doc, fn_value, renamed, serde, struct_default, type_default,
};

/// A type as a user writes it.
#[derive(Clone, Debug, PartialEq)]
pub enum Ty {
    Str,
    Int,
    Num,
    Bool,
    /// `{ en = "…", zh = "…" }`; `or_string`: one string is both.
    Text {
        or_string: bool,
    },
    /// A table (`[path]` or inline `{ … }`).
    Table,
    /// An array of tables (`[[path]]`).
    Tables,
    /// An array of the inner type.
    List(Box<Ty>),
    /// `[a, b]`.
    Tuple(Vec<Ty>),
    /// A table of strings, any keys.
    StrMap,
    IntOrStr,
    /// An action, in the one grammar of actions.
    Action,
    /// A string, one of the field's `values`.
    OneOf,
}

/// A field's default when it is left out.
#[derive(Clone, Debug, PartialEq)]
pub enum Default {
    Required,
    /// Optional: left out means none (the doc says what that does).
    Optional,
    /// An empty text, list or table.
    Empty,
    /// Each field of the table takes its own default.
    Fields,
    Value(String),
}

/// A field, or one value of a field that takes a fixed set of strings.
#[derive(Clone, Debug)]
pub struct Entry {
    /// The anchor and key in the Chinese file: `node.replicaof`, `node.kind.redis`.
    pub path: String,
    /// As written in the file.
    pub name: String,
    pub ty: Ty,
    /// Whether this field is a table of its own (its section is `path`).
    pub table: bool,
    pub default: Default,
    pub doc: String,
    pub zh: Option<String>,
    pub values: Vec<Entry>,
    /// For a field of one variant of a tagged table: the variants it belongs to.
    pub only: Vec<String>,
}

/// A table of the format.
#[derive(Clone, Debug)]
pub struct Table {
    /// `top`, `network`, `node.monitor`, …: the anchor, and the header's path.
    pub path: String,
    /// `[[path]]` rather than `[path]`.
    pub array: bool,
    pub doc: String,
    pub zh: Option<String>,
    pub fields: Vec<Entry>,
    /// Same fields as the table at this path (the same type, documented there).
    pub same_as: Option<String>,
}

pub(super) enum Def<'a> {
    Struct(&'a syn::ItemStruct),
    Enum(&'a syn::ItemEnum),
}

pub(super) struct Ctx<'a> {
    pub(super) types: BTreeMap<String, Def<'a>>,
    pub(super) fns: BTreeMap<String, &'a syn::ItemFn>,
    /// `impl Default for X`: X's `default()` body.
    pub(super) defaults: BTreeMap<String, &'a syn::ImplItemFn>,
    /// Each struct type's home table (the first, breadth first).
    homes: BTreeMap<String, String>,
}

/// The tables, in the order the file nests them (depth first from the top level).
pub fn extract(files: &[syn::File]) -> Result<Vec<Table>, String> {
    let mut cx = Ctx {
        types: BTreeMap::new(),
        fns: BTreeMap::new(),
        defaults: BTreeMap::new(),
        homes: BTreeMap::new(),
    };
    for f in files {
        collect(&f.items, &mut cx)?;
    }
    // Breadth first: a type used at several paths is documented at the shallowest.
    let mut queue = vec![("Scenario".to_string(), "top".to_string())];
    while !queue.is_empty() {
        let mut next = Vec::new();
        for (ty, path) in queue {
            if cx.homes.contains_key(&ty) {
                continue;
            }
            cx.homes.insert(ty.clone(), path.clone());
            for (name, inner, _) in struct_fields(&cx, &ty)? {
                if let Some(t) = table_type(&cx, &inner) {
                    next.push((t, child(&path, &name)));
                }
            }
        }
        queue = next;
    }
    let mut out = Vec::new();
    table(&cx, "Scenario", "top", false, String::new(), &mut out)?;
    Ok(out)
}

fn collect<'a>(items: &'a [Item], cx: &mut Ctx<'a>) -> Result<(), String> {
    for item in items {
        let (name, def) = match item {
            Item::Struct(s) => (s.ident.to_string(), Def::Struct(s)),
            Item::Enum(e) => (e.ident.to_string(), Def::Enum(e)),
            Item::Fn(f) => {
                cx.fns.insert(f.sig.ident.to_string(), f);
                continue;
            }
            Item::Impl(i) => {
                let is_default = i
                    .trait_
                    .as_ref()
                    .is_some_and(|(p, _)| p.is_ident("Default"));
                if let (true, Type::Path(p)) = (is_default, &*i.self_ty) {
                    let f = i.items.iter().find_map(|x| match x {
                        syn::ImplItem::Fn(f) if f.sig.ident == "default" => Some(f),
                        _ => None,
                    });
                    if let (Some(f), Some(seg)) = (f, p.path.segments.last()) {
                        cx.defaults.insert(seg.ident.to_string(), f);
                    }
                }
                continue;
            }
            Item::Mod(m) => {
                if let Some((_, items)) = &m.content {
                    collect(items, cx)?;
                }
                continue;
            }
            _ => continue,
        };
        if !derives_deserialize(match &def {
            Def::Struct(s) => &s.attrs,
            Def::Enum(e) => &e.attrs,
        }) {
            continue;
        }
        if cx.types.insert(name.clone(), def).is_some() {
            return Err(format!("two types named {name} in the format's sources"));
        }
    }
    Ok(())
}

/// The last path segment and its generic arguments.
fn seg(ty: &Type) -> Option<(String, Vec<Type>)> {
    let Type::Path(p) = ty else { return None };
    let s = p.path.segments.last()?;
    let args = match &s.arguments {
        syn::PathArguments::AngleBracketed(a) => a
            .args
            .iter()
            .filter_map(|g| match g {
                syn::GenericArgument::Type(t) => Some(t.clone()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    Some((s.ident.to_string(), args))
}

/// `Option<T>` → (T, true).
fn unoption(ty: &Type) -> (Type, bool) {
    match seg(ty) {
        Some((n, a)) if n == "Option" && a.len() == 1 => (a[0].clone(), true),
        _ => (ty.clone(), false),
    }
}

/// The struct (or tagged enum) a field's type documents as a table of its own.
fn table_type(cx: &Ctx, ty: &Type) -> Option<String> {
    let (ty, _) = unoption(ty);
    let (name, args) = seg(&ty)?;
    let name = if name == "Vec" && args.len() == 1 {
        seg(&args[0])?.0
    } else {
        name
    };
    match cx.types.get(&name)? {
        Def::Struct(_) if name != "Text" => Some(name),
        Def::Enum(e) if serde(&e.attrs).ok()?.tag.is_some() => Some(name),
        _ => None,
    }
}

/// A struct's fields as (TOML name, type, field): serde's view.
fn struct_fields<'a>(
    cx: &Ctx<'a>,
    ty: &str,
) -> Result<Vec<(String, Type, &'a syn::Field)>, String> {
    let Some(Def::Struct(s)) = cx.types.get(ty) else {
        // A tagged enum: its variants' fields.
        let Some(Def::Enum(e)) = cx.types.get(ty) else {
            return Err(format!("type {ty} is not in the format's sources"));
        };
        let mut out = Vec::new();
        for v in &e.variants {
            if let Fields::Named(n) = &v.fields {
                for f in &n.named {
                    let id = f
                        .ident
                        .as_ref()
                        .map(ToString::to_string)
                        .unwrap_or_default();
                    out.push((id, f.ty.clone(), f));
                }
            }
        }
        return Ok(out);
    };
    let all = serde(&s.attrs)?.rename_all;
    let Fields::Named(named) = &s.fields else {
        return Err(format!("{ty}: only structs with named fields are handled"));
    };
    let mut out = Vec::new();
    for f in &named.named {
        let sd = serde(&f.attrs)?;
        if sd.skip {
            continue;
        }
        let id = f
            .ident
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default();
        out.push((renamed(&id, &sd, all.as_deref())?, f.ty.clone(), f));
    }
    Ok(out)
}

/// How a type reads to a user, and, for a fixed set of strings, its values.
fn user_type(cx: &Ctx, ty: &Type, path: &str) -> Result<(Ty, Vec<Entry>), String> {
    if let Type::Tuple(t) = ty {
        let mut parts = Vec::new();
        for e in &t.elems {
            parts.push(user_type(cx, e, path)?.0);
        }
        return Ok((Ty::Tuple(parts), Vec::new()));
    }
    let Some((name, args)) = seg(ty) else {
        return Err(format!("{path}: a type the reference cannot read"));
    };
    Ok(match name.as_str() {
        "String" => (Ty::Str, Vec::new()),
        "u8" | "u16" | "u32" | "u64" | "usize" | "i8" | "i16" | "i32" | "i64" => {
            (Ty::Int, Vec::new())
        }
        "f32" | "f64" => (Ty::Num, Vec::new()),
        "bool" => (Ty::Bool, Vec::new()),
        "Text" => (Ty::Text { or_string: false }, Vec::new()),
        "BTreeMap" => (Ty::StrMap, Vec::new()),
        "Value" => (Ty::IntOrStr, Vec::new()),
        "Action" => (Ty::Action, Vec::new()),
        "Option" if args.len() == 1 => user_type(cx, &args[0], path)?,
        "Vec" if args.len() == 1 => match user_type(cx, &args[0], path)? {
            (Ty::Table, _) => (Ty::Tables, Vec::new()),
            (inner, values) => (Ty::List(Box::new(inner)), values),
        },
        other => match cx.types.get(other) {
            Some(Def::Struct(_)) => (Ty::Table, Vec::new()),
            Some(Def::Enum(e)) if serde(&e.attrs)?.tag.is_some() => (Ty::Table, Vec::new()),
            Some(Def::Enum(e)) => (Ty::OneOf, variants(e, path)?),
            None => {
                return Err(format!(
                    "{path}: type {other} is not in the format's sources"
                ))
            }
        },
    })
}

/// A unit-variant enum's values, as strings.
fn variants(e: &syn::ItemEnum, path: &str) -> Result<Vec<Entry>, String> {
    let all = serde(&e.attrs)?.rename_all;
    let mut out = Vec::new();
    for v in &e.variants {
        let sd = serde(&v.attrs)?;
        let name = renamed(&v.ident.to_string(), &sd, all.as_deref())?;
        out.push(Entry {
            path: format!("{path}.{name}"),
            name,
            ty: Ty::Str,
            table: false,
            default: Default::Required,
            doc: doc(&v.attrs),
            zh: None,
            values: Vec::new(),
            only: Vec::new(),
        });
    }
    Ok(out)
}

/// Writes the table of type `ty` at `path`, then the tables inside it.
fn table(
    cx: &Ctx,
    ty: &str,
    path: &str,
    array: bool,
    field_doc: String,
    out: &mut Vec<Table>,
) -> Result<(), String> {
    let own_doc = match cx.types.get(ty) {
        Some(Def::Struct(s)) => doc(&s.attrs),
        Some(Def::Enum(e)) => doc(&e.attrs),
        None => String::new(),
    };
    let doc = if own_doc.is_empty() || field_doc.contains(&own_doc) {
        field_doc
    } else if field_doc.is_empty() {
        own_doc
    } else {
        format!("{field_doc}\n{own_doc}")
    };
    let home = cx.homes.get(ty).cloned().unwrap_or_default();
    if home != path {
        out.push(Table {
            path: path.into(),
            array,
            doc,
            zh: None,
            fields: Vec::new(),
            same_as: Some(home),
        });
        return Ok(());
    }
    let fields = match cx.types.get(ty) {
        Some(Def::Enum(e)) => tagged_fields(cx, e, path)?,
        _ => plain_fields(cx, ty, path)?,
    };
    let inner: Vec<(String, String, bool, String)> = fields
        .iter()
        .filter(|e| e.table)
        .map(|e| {
            let (_, t, _) = struct_fields(cx, ty)?
                .into_iter()
                .find(|(n, _, _)| *n == e.name)
                .ok_or_else(|| format!("{}: lost", e.path))?;
            let sub = table_type(cx, &t).ok_or_else(|| format!("{}: not a table", e.path))?;
            Ok((sub, e.path.clone(), e.ty == Ty::Tables, e.doc.clone()))
        })
        .collect::<Result<_, String>>()?;
    out.push(Table {
        path: path.into(),
        array,
        doc,
        zh: None,
        fields,
        same_as: None,
    });
    for (sub, p, arr, field_doc) in inner {
        table(cx, &sub, &p, arr, field_doc, out)?;
    }
    Ok(())
}

fn plain_fields(cx: &Ctx, ty: &str, path: &str) -> Result<Vec<Entry>, String> {
    let Some(Def::Struct(s)) = cx.types.get(ty) else {
        return Err(format!("{path}: {ty} is not a struct"));
    };
    let whole_default = serde(&s.attrs)?.default.is_some();
    let mut out = Vec::new();
    for (name, fty, f) in struct_fields(cx, ty)? {
        let p = child(path, &name);
        let sd = serde(&f.attrs)?;
        let (mut uty, values) = user_type(cx, &fty, &p)?;
        if uty == (Ty::Text { or_string: false }) && sd.deserialize_with.is_some() {
            uty = Ty::Text { or_string: true };
        }
        let (_, optional) = unoption(&fty);
        let id = f
            .ident
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default();
        let default = match (&sd.default, optional, whole_default) {
            (Some(Some(func)), _, _) => Default::Value(fn_value(cx, func, &p)?),
            (_, _, true) => Default::Value(struct_default(cx, ty, &id, &p)?),
            (_, true, _) => Default::Optional,
            (Some(None), false, _) => type_default(&uty),
            (None, false, _) => Default::Required,
        };
        let mut d = doc(&f.attrs);
        let table = table_type(cx, &fty).is_some();
        if table && d.is_empty() {
            d = table_type(cx, &fty)
                .and_then(|t| cx.types.get(&t))
                .map(|def| match def {
                    Def::Struct(s) => doc(&s.attrs),
                    Def::Enum(e) => doc(&e.attrs),
                })
                .unwrap_or_default();
        }
        out.push(Entry {
            path: p,
            name,
            ty: uty,
            table,
            default,
            doc: d,
            zh: None,
            values,
            only: Vec::new(),
        });
    }
    Ok(out)
}

/// A tagged enum as a table: the tag field (its values the variants), then
/// each variant's fields, merged by name.
fn tagged_fields(cx: &Ctx, e: &syn::ItemEnum, path: &str) -> Result<Vec<Entry>, String> {
    let sd = serde(&e.attrs)?;
    let tag = sd.tag.clone().unwrap_or_default();
    let tag_path = child(path, &tag);
    let mut out = vec![Entry {
        path: tag_path.clone(),
        name: tag,
        ty: Ty::OneOf,
        table: false,
        default: Default::Required,
        doc: doc(&e.attrs),
        zh: None,
        values: variants(e, &tag_path)?,
        only: Vec::new(),
    }];
    for v in &e.variants {
        let vname = renamed(
            &v.ident.to_string(),
            &serde(&v.attrs)?,
            sd.rename_all.as_deref(),
        )?;
        let Fields::Named(n) = &v.fields else {
            continue;
        };
        for f in &n.named {
            let name = f
                .ident
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default();
            let p = child(path, &name);
            let d = doc(&f.attrs);
            if let Some(x) = out.iter_mut().find(|x| x.name == name) {
                x.only.push(vname.clone());
                if d.is_empty() {
                    x.doc.clear(); // every variant's field must say what it is
                } else if !x.doc.is_empty() && !x.doc.contains(&d) {
                    x.doc = format!("{} {d}", x.doc);
                }
                continue;
            }
            out.push(Entry {
                path: p.clone(),
                name,
                ty: user_type(cx, &f.ty, &p)?.0,
                table: false,
                default: Default::Required,
                doc: d,
                zh: None,
                values: Vec::new(),
                only: vec![vname.clone()],
            });
        }
    }
    Ok(out)
}

fn child(parent: &str, name: &str) -> String {
    if parent == "top" {
        name.to_string()
    } else {
        format!("{parent}.{name}")
    }
}
