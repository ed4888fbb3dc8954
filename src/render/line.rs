//! A partnership's line in a list (`view::Summary`), and the whole of its own page
//! (`view::PartnershipView`), as template objects. Lists are most of the biggest
//! pages, and a line is read on a dozen of them, long after it was made: its fields are
//! template values made once, and a field is found by its name with a `match`, so
//! reading it touches that field alone rather than every name before it. A
//! partnership's page reads a hundred of its fields; minijinja would otherwise make a
//! map of them with its names as template values.

use super::engine::{Value, value};
use super::view::{PartnershipView, Summary};
use minijinja::value::{Enumerator, Object};
use std::sync::{Arc, Mutex};

/// The names in `Summary`'s order, which is the order templates iterate them in.
const KEYS: &[&str] = &[
    "slug",
    "url",
    "title",
    "region",
    "province",
    "partner",
    "country",
    "kind",
    "status",
    "confidence",
    "signed",
    "year",
    "fields",
];

#[derive(Debug)]
pub struct Line {
    /// The line's markup, once per partial and root it was rendered with
    /// (see [`Line::rendered`]).
    markup: Mutex<Vec<(Box<str>, Arc<str>)>>,
    slug: Value,
    url: Value,
    title: Value,
    region: Value,
    province: Value,
    partner: Value,
    country: Value,
    kind: Value,
    status: Value,
    confidence: Value,
    signed: Value,
    year: Value,
    fields: Value,
}

impl Line {
    /// The line as a template value.
    pub fn value(s: Summary) -> Value {
        Value::from_object(Line::new(s))
    }

    /// The line, to be shared by the lists that show it and its partnership's page.
    pub fn shared(s: Summary) -> Arc<Line> {
        Arc::new(Line::new(s))
    }

    fn new(s: Summary) -> Line {
        Line {
            markup: Mutex::default(),
            slug: Value::from(s.slug),
            url: Value::from(s.url),
            title: Value::from(s.title),
            region: value(&s.region),
            province: value(&s.province),
            partner: value(&s.partner),
            country: value(&s.country),
            kind: value(&s.kind),
            status: value(&s.status),
            confidence: value(&s.confidence),
            signed: value(&s.signed),
            year: value(&s.year),
            fields: value(&s.fields),
        }
    }

    /// The markup `render` makes of this line for `key` (a partial and the root it
    /// is rendered with), made once: a partnership is listed on a dozen pages, most
    /// of them as deep as each other, and its line is the same on all of them.
    pub fn rendered<E>(
        &self,
        key: &str,
        render: impl FnOnce() -> Result<String, E>,
    ) -> Result<Arc<str>, E> {
        let known = |m: &[(Box<str>, Arc<str>)]| {
            m.iter()
                .find(|(k, _)| &**k == key)
                .map(|(_, v)| Arc::clone(v))
        };
        if let Some(m) = known(&self.lock()) {
            return Ok(m);
        }
        // Rendered unlocked: two threads may render the same line at once, and the
        // second keeps the first's, which has the same bytes.
        let made: Arc<str> = render()?.into();
        let mut markup = self.lock();
        if let Some(m) = known(&markup) {
            return Ok(m);
        }
        markup.push((key.into(), Arc::clone(&made)));
        Ok(made)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<(Box<str>, Arc<str>)>> {
        self.markup.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn field(&self, key: &str) -> Option<&Value> {
        Some(match key {
            "slug" => &self.slug,
            "url" => &self.url,
            "title" => &self.title,
            "region" => &self.region,
            "province" => &self.province,
            "partner" => &self.partner,
            "country" => &self.country,
            "kind" => &self.kind,
            "status" => &self.status,
            "confidence" => &self.confidence,
            "signed" => &self.signed,
            "year" => &self.year,
            "fields" => &self.fields,
            _ => return None,
        })
    }
}

impl Object for Line {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        self.get_value_by_str(key.as_str()?)
    }

    fn get_value_by_str(self: &Arc<Self>, key: &str) -> Option<Value> {
        self.field(key).cloned()
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Str(KEYS)
    }

    fn enumerator_len(self: &Arc<Self>) -> Option<usize> {
        Some(KEYS.len())
    }
}

/// The names a partnership's page adds to its line's, in `PartnershipView`'s order.
const DETAIL_KEYS: &[&str] = &[
    "until",
    "last_verified",
    "timeline",
    "sources",
    "history",
    "fallback",
    "json_url",
    "edit_url",
    "cite",
];

/// A partnership's own page: its line and the rest of its facts.
#[derive(Debug)]
pub struct Detail {
    line: Arc<Line>,
    until: Value,
    last_verified: Value,
    timeline: Value,
    sources: Value,
    history: Value,
    fallback: Value,
    json_url: Value,
    edit_url: Value,
    cite: Value,
}

impl Detail {
    /// The page's `p` as a template value: `line`, the partnership's line in lists,
    /// and the rest of its page.
    pub fn value(line: Arc<Line>, v: PartnershipView) -> Value {
        Value::from_object(Detail {
            line,
            until: value(&v.until),
            last_verified: value(&v.last_verified),
            timeline: value(&v.timeline),
            sources: value(&v.sources),
            history: Value::from(v.history),
            fallback: Value::from(v.fallback),
            json_url: Value::from(v.json_url),
            edit_url: value(&v.edit_url),
            cite: value(&v.cite),
        })
    }
}

impl Object for Detail {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        self.get_value_by_str(key.as_str()?)
    }

    fn get_value_by_str(self: &Arc<Self>, key: &str) -> Option<Value> {
        let field = match key {
            "until" => &self.until,
            "last_verified" => &self.last_verified,
            "timeline" => &self.timeline,
            "sources" => &self.sources,
            "history" => &self.history,
            "fallback" => &self.fallback,
            "json_url" => &self.json_url,
            "edit_url" => &self.edit_url,
            "cite" => &self.cite,
            _ => return self.line.field(key).cloned(),
        };
        Some(field.clone())
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Iter(Box::new(
            KEYS.iter().chain(DETAIL_KEYS).map(|k| Value::from(*k)),
        ))
    }

    fn enumerator_len(self: &Arc<Self>) -> Option<usize> {
        Some(KEYS.len() + DETAIL_KEYS.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Kind, Status};
    use crate::render::view::{Cite, Link};

    fn link(name: &str) -> Link {
        Link {
            name: name.into(),
            url: format!("{name}.html"),
        }
    }

    fn summary() -> Summary {
        Summary {
            slug: "a-b".into(),
            url: "partnerships/a-b.html".into(),
            title: "A – B".into(),
            region: link("a"),
            province: link("p"),
            partner: link("b"),
            country: link("jp"),
            kind: Kind::SisterCity,
            status: Status::Active,
            confidence: None,
            signed: Some("1 Mei 2001".into()),
            year: Some(2001),
            fields: vec![link("education")],
        }
    }

    fn view() -> PartnershipView {
        PartnershipView {
            until: None,
            last_verified: Some("2 Juni 2020".into()),
            timeline: Vec::new(),
            sources: Vec::new(),
            history: "<p>x</p>".into(),
            fallback: false,
            json_url: "data/partnerships/a-b.json".into(),
            edit_url: None,
            cite: Cite {
                title: "A – B".into(),
                updated: None,
                year: Some(2001),
                bibtex: "@misc{}".into(),
            },
        }
    }

    #[test]
    fn a_line_is_rendered_once_for_each_key() {
        let line = Line::new(summary());
        let made = |s: &str| Ok::<String, ()>(s.to_string());
        assert_eq!(
            &*line
                .rendered("plist\0../", || made("<li>deep</li>"))
                .unwrap(),
            "<li>deep</li>"
        );
        let again = line.rendered("plist\0../", || -> Result<String, ()> {
            panic!("rendered twice")
        });
        assert_eq!(&*again.unwrap(), "<li>deep</li>");
        assert_eq!(
            &*line.rendered("plist\0", || made("<li>top</li>")).unwrap(),
            "<li>top</li>"
        );
        assert_eq!(line.rendered("other\0", || Err::<String, ()>(())), Err(()));
        assert_eq!(
            &*line.rendered("other\0", || made("later")).unwrap(),
            "later",
            "a failed render is not kept"
        );
    }

    fn keys(v: &Value) -> Vec<String> {
        let mut k: Vec<String> = v.try_iter().unwrap().map(|k| k.to_string()).collect();
        k.sort();
        k
    }

    /// Each reads, iterates and serialises exactly as the view it was made from.
    fn same(object: &Value, plain: &Value) {
        assert_eq!(
            serde_json::to_value(object).unwrap(),
            serde_json::to_value(plain).unwrap()
        );
        assert_eq!(keys(object), keys(plain));
        for k in keys(plain) {
            assert_eq!(
                object.get_attr(&k).unwrap(),
                plain.get_attr(&k).unwrap(),
                "{k}"
            );
        }
        assert!(object.get_attr("nope").unwrap().is_undefined());
    }

    #[test]
    fn a_line_reads_as_its_summary_does() {
        let line = Line::value(summary());
        same(&line, &value(&summary()));
        let order: Vec<String> = line.try_iter().unwrap().map(|k| k.to_string()).collect();
        assert_eq!(order, KEYS);
    }

    #[test]
    fn a_detail_reads_as_its_line_and_view_do() {
        let mut plain = serde_json::to_value(summary()).unwrap();
        let serde_json::Value::Object(rest) = serde_json::to_value(view()).unwrap() else {
            unreachable!("a view is an object")
        };
        plain.as_object_mut().unwrap().extend(rest);
        same(
            &Detail::value(Line::shared(summary()), view()),
            &value(&plain),
        );
    }
}
