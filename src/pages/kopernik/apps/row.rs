//! A container app as the list shows it.
//!
//! 100,000 loaded apps must fit in the memory budget of issue #22, so a row keeps only what the
//! list shows and what its actions need (not the whole decoded `ContainerApp`: grid, account,
//! machine uid and name, runtime props...), its search and sort keys are one lower-cased string,
//! and the app sits behind a shared pointer: the list's `Vec` holds a pointer and the keys per
//! row (its doubling while "Load more" extends it copies those, not apps), and a clone (a page
//! slot's memo) is a count and the keys, not the app.

use std::ops::{Deref, DerefMut};
use std::sync::Arc;

use crate::text;
use berth_api::kopernik::ContainerApp;

use crate::state::table::{Row, SortKey};

/// What the list shows of a container app, and what its actions need.
#[derive(Clone, Debug, PartialEq)]
pub struct ListedApp {
    pub uid: String,
    pub name: String,
    pub status: String,
    pub provider_uid: String,
    pub region_uid: String,
    pub template_id: Option<String>,
    pub machine: ListedMachine,
    /// The image's reference, empty without one.
    image: String,
    /// The machine's addresses, IPv4 then IPv6, joined by ", ".
    ips: String,
    /// The first port, when the machine has an address to open it on.
    port: Option<u16>,
    /// Creation time, epoch seconds.
    created: Option<f64>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ListedMachine {
    pub machine_type_uid: String,
}

impl ListedApp {
    /// Where the app answers, as [`ContainerApp::address`]: its first address and first port.
    pub fn address(&self) -> Option<String> {
        let port = self.port?;
        let ip = self.ips.split(", ").next().unwrap_or_default();
        berth_api::links::address(ip, port)
    }
}

impl From<ContainerApp> for ListedApp {
    fn from(app: ContainerApp) -> Self {
        let ips = app
            .machine
            .ipv4
            .iter()
            .chain(&app.machine.ipv6)
            .map(|a| a.address.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        let has_ip = !(app.machine.ipv4.is_empty() && app.machine.ipv6.is_empty());
        let port = app
            .runtime_props
            .as_ref()
            .and_then(|p| p.ports.as_ref()?.first())
            .and_then(|p| u16::try_from(p.port).ok())
            .filter(|_| has_ip);
        ListedApp {
            created: app.created_at.as_ref().and_then(|n| n.as_f64()),
            image: app.container_image.map(|i| i.id).unwrap_or_default(),
            uid: app.uid,
            name: app.name,
            status: app.status,
            provider_uid: app.provider_uid,
            region_uid: app.region_uid,
            template_id: app.template_id,
            machine: ListedMachine {
                machine_type_uid: app.machine.machine_type_uid,
            },
            ips,
            port,
        }
    }
}

/// A value shared by its clones, copied on the first write through one of them.
#[derive(Debug)]
pub struct Shared<T>(Arc<T>);

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(Arc::clone(&self.0))
    }
}

impl<T> Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: Clone> DerefMut for Shared<T> {
    fn deref_mut(&mut self) -> &mut T {
        Arc::make_mut(&mut self.0)
    }
}

impl<T: PartialEq> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0) || *self.0 == *other.0
    }
}

impl<T> From<T> for Shared<T> {
    fn from(value: T) -> Self {
        Shared(Arc::new(value))
    }
}

/// Read as a whole `ContainerApp` (so an item the list reads is one every other screen reads,
/// and one it cannot read is reported the same way), then cut down to what the list keeps: only
/// one page's apps are ever whole at once.
impl<'de> serde::Deserialize<'de> for Shared<ListedApp> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        ContainerApp::deserialize(d).map(|app| Shared::from(ListedApp::from(app)))
    }
}

/// The app, shared by the clones a page slot takes, and its search keys beside it: a search
/// reads every row's haystack, one pointer away rather than three.
#[derive(Clone, Debug, PartialEq)]
pub struct AppRow {
    pub app: Shared<ListedApp>,
    keys: Keys,
}

/// The search and sort text of a row, lower-cased.
#[derive(Clone, Debug, Default, PartialEq)]
struct Keys {
    /// Name, status, image, template, machine type, region and IPs, joined by spaces: the search
    /// haystack. The first six are the sortable text.
    haystack: Box<str>,
    /// Where each of the six sortable fields ends in `haystack`.
    ends: [u32; 6],
}

impl AppRow {
    /// A row of `app`: as decoded, or as an action changed it.
    pub fn new(app: Shared<ListedApp>) -> Self {
        let fields = [
            app.name.as_str(),
            app.status.as_str(),
            app.image.as_str(),
            app.template_id.as_deref().unwrap_or_default(),
            app.machine.machine_type_uid.as_str(),
            app.region_uid.as_str(),
        ];
        let len = fields.iter().map(|f| f.len() + 1).sum::<usize>() + app.ips.len();
        let mut haystack = String::with_capacity(len);
        let mut ends = [0u32; 6];
        for (end, field) in ends.iter_mut().zip(fields) {
            haystack.push_str(&text::lower(field));
            *end = u32::try_from(haystack.len()).unwrap_or(u32::MAX);
            haystack.push(' ');
        }
        haystack.push_str(&text::lower(&app.ips));
        let keys = Keys {
            haystack: haystack.into_boxed_str(),
            ends,
        };
        AppRow { app, keys }
    }

    pub fn ips(&self) -> String {
        self.app.ips.clone()
    }

    pub fn image(&self) -> String {
        self.app.image.clone()
    }

    pub fn created(&self) -> Option<f64> {
        self.app.created
    }

    /// Sortable field `i` (name, status, image, template, machine type, region), lower-cased.
    fn lower(&self, i: usize) -> &str {
        let start = match i {
            0 => 0,
            _ => self.keys.ends[i - 1] as usize + 1,
        };
        let end = self.keys.ends[i] as usize;
        self.keys.haystack.get(start..end).unwrap_or_default()
    }
}

impl Row for AppRow {
    fn id(&self) -> &str {
        &self.app.uid
    }
    fn haystack(&self) -> &str {
        &self.keys.haystack
    }

    fn status(&self) -> &str {
        &self.app.status
    }

    fn sort_key(&self, col: &str) -> SortKey<'_> {
        let text = |i: usize| SortKey::Text(self.lower(i));
        match col {
            "status" => text(1),
            "image" => text(2),
            "template" => text(3),
            "type" => text(4),
            "region" => text(5),
            "created" => SortKey::Num(self.created().unwrap_or_default()),
            _ => text(0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demo(i: usize, image: &str, template: Option<&str>) -> ContainerApp {
        serde_json::from_value(serde_json::json!({
            "type": "containerapp", "providerUid": "aws", "regionUid": "us-east-1",
            "accountUid": "123456", "uid": format!("{}", 40_000_000 + i),
            "grid": "grid:aws:containerapp:us-east-1:123456:40000000",
            "name": format!("Api-{i}"), "status": "active", "createdAt": 1_764_000_000,
            "templateId": template,
            "machine": {"uid": "m-1", "name": "api", "machineTypeUid": "t3.medium",
                "regionUid": "us-east-1", "status": "active",
                "ipv4": [{"address": "203.0.113.7"}], "ipv6": [{"address": "2001:db8::1"}]},
            "containerImage": {"id": image},
            "runtimeProps": {"ports": [{"port": 8080, "protocol": "tcp"}], "restartPolicy": "always"}
        }))
        .unwrap()
    }

    #[test]
    fn a_row_keeps_what_the_list_shows_and_its_keys() {
        let app = demo(1, "Nginx:1.27", Some("tpl-1"));
        let row = AppRow::new(ListedApp::from(app.clone()).into());
        assert_eq!(row.app.address(), app.address());
        assert_eq!(
            row.app.address().as_deref(),
            Some("http://203.0.113.7:8080")
        );
        assert_eq!(row.ips(), "203.0.113.7, 2001:db8::1");
        assert_eq!(row.image(), "Nginx:1.27");
        assert_eq!(row.created(), Some(1_764_000_000.0));
        assert_eq!(
            row.haystack(),
            "api-1 active nginx:1.27 tpl-1 t3.medium us-east-1 203.0.113.7, 2001:db8::1"
        );
        let keys: Vec<_> = ["name", "status", "image", "template", "type", "region"]
            .iter()
            .map(|c| match row.sort_key(c) {
                SortKey::Text(t) => t.to_string(),
                SortKey::Num(_) => unreachable!(),
            })
            .collect();
        assert_eq!(
            keys,
            [
                "api-1",
                "active",
                "nginx:1.27",
                "tpl-1",
                "t3.medium",
                "us-east-1"
            ]
        );
        let bare = AppRow::new(ListedApp::from(demo(2, "", None)).into());
        assert!(matches!(bare.sort_key("template"), SortKey::Text("")));
        assert!(matches!(bare.sort_key("image"), SortKey::Text("")));
        assert!(matches!(bare.sort_key("type"), SortKey::Text("t3.medium")));
    }

    #[test]
    fn no_address_without_an_ip() {
        let mut app = demo(1, "nginx", None);
        app.machine.ipv4.clear();
        app.machine.ipv6.clear();
        assert_eq!(
            AppRow::new(ListedApp::from(app.clone()).into())
                .app
                .address(),
            app.address()
        );
        assert_eq!(AppRow::new(ListedApp::from(app).into()).app.address(), None);
    }

    #[test]
    fn an_action_changes_a_copy_and_the_row_is_indexed_again() {
        let row = AppRow::new(ListedApp::from(demo(1, "nginx", None)).into());
        let before = row.clone();
        let mut app = row.app.clone();
        app.status = "deleting".into();
        let changed = AppRow::new(app);
        assert_eq!(before.app.status, "active", "the shared app was copied");
        assert_eq!(changed.status(), "deleting");
        assert!(matches!(
            changed.sort_key("status"),
            SortKey::Text("deleting")
        ));
        assert_ne!(changed, before);
        assert_eq!(row, before);
    }

    /// Issue #22: 100,000 rows within 100 MB. On wasm32 (4-byte pointers) a row is a pointer,
    /// its keys' string and six ends in the list's `Vec`, then about 160 bytes of fields and 7
    /// strings; natively about twice that.
    #[test]
    fn a_row_is_small() {
        assert!(std::mem::size_of::<AppRow>() <= 3 * std::mem::size_of::<usize>() + 24);
        assert!(std::mem::size_of::<ListedApp>() <= 40 * std::mem::size_of::<usize>());
    }
}
