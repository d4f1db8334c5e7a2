//! A container app as the list shows it.

use crate::text;
use berth_api::kopernik::ContainerApp;

use crate::state::table::{Row, SortKey};

#[derive(Clone, Debug, PartialEq)]
pub struct AppRow {
    pub app: ContainerApp,
    haystack: String,
    /// Lower-cased name, status, image, template, machine type, region: the sortable text.
    lower: [String; 6],
}

impl AppRow {
    pub fn new(app: ContainerApp) -> Self {
        let haystack = text::lower(&format!(
            "{} {} {} {} {} {} {}",
            app.name,
            app.status,
            app.container_image
                .as_ref()
                .map(|i| i.id.as_str())
                .unwrap_or_default(),
            app.template_id.as_deref().unwrap_or_default(),
            app.machine.machine_type_uid,
            app.region_uid,
            self::ips(&app),
        ));
        let image = app
            .container_image
            .as_ref()
            .map(|i| i.id.as_str())
            .unwrap_or_default();
        let lower = [
            app.name.as_str(),
            app.status.as_str(),
            image,
            app.template_id.as_deref().unwrap_or_default(),
            app.machine.machine_type_uid.as_str(),
            app.region_uid.as_str(),
        ]
        .map(text::lower);
        AppRow {
            app,
            haystack,
            lower,
        }
    }

    pub fn ips(&self) -> String {
        ips(&self.app)
    }

    pub fn image(&self) -> String {
        self.app
            .container_image
            .as_ref()
            .map(|i| i.id.clone())
            .unwrap_or_default()
    }

    pub fn created(&self) -> Option<f64> {
        self.app.created_at.as_ref().and_then(|n| n.as_f64())
    }
}

fn ips(app: &ContainerApp) -> String {
    app.machine
        .ipv4
        .iter()
        .chain(&app.machine.ipv6)
        .map(|a| a.address.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

impl Row for AppRow {
    fn id(&self) -> &str {
        &self.app.uid
    }
    fn haystack(&self) -> &str {
        &self.haystack
    }

    fn status(&self) -> &str {
        &self.app.status
    }

    fn sort_key(&self, col: &str) -> SortKey<'_> {
        let text = |i: usize| SortKey::Text(&self.lower[i]);
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
