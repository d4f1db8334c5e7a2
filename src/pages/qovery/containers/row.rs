//! A container as the list shows it: the API's container joined with its live status.

use crate::text;
use berth_api::qovery::{ContainerResponse, PortProtocol, State};

use crate::state::table::{Row, SortKey};

#[derive(Clone, Debug, PartialEq)]
pub struct ContainerRow {
    pub c: ContainerResponse,
    pub state: Option<State>,
    pub last_deployment: Option<String>,
    haystack: String,
    /// Lower-cased name and image:tag, for sorting.
    lower: [String; 2],
}

impl ContainerRow {
    pub fn new(
        c: ContainerResponse,
        state: Option<State>,
        last_deployment: Option<String>,
    ) -> Self {
        let haystack = text::lower(&format!(
            "{} {}:{} {} {}",
            c.name,
            c.image_name,
            c.tag,
            c.registry
                .as_ref()
                .map(|r| r.name.as_str())
                .unwrap_or_default(),
            state.as_ref().map(|s| s.as_str()).unwrap_or_default()
        ));
        let lower = [
            text::lower(&c.name),
            text::lower(&format!("{}:{}", c.image_name, c.tag)),
        ];
        ContainerRow {
            c,
            state,
            last_deployment,
            haystack,
            lower,
        }
    }

    pub fn with_state(&self, state: State) -> Self {
        Self::new(self.c.clone(), Some(state), self.last_deployment.clone())
    }

    /// "1–3", "2–∞".
    pub fn instances(&self) -> String {
        let max = match self.c.max_running_instances {
            -1 => "∞".to_string(),
            n => n.to_string(),
        };
        if max == self.c.min_running_instances.to_string() {
            max
        } else {
            format!("{}–{max}", self.c.min_running_instances)
        }
    }

    /// "443→80 HTTP public, 9090 TCP".
    pub fn ports(&self) -> String {
        self.c
            .ports
            .iter()
            .flatten()
            .map(|p| {
                let proto = p.protocol.clone().unwrap_or(PortProtocol::Http);
                match (p.publicly_accessible, p.external_port) {
                    (true, Some(e)) if e != p.internal_port => {
                        format!("{e}→{} {proto} public", p.internal_port)
                    }
                    (true, _) => format!("{} {proto} public", p.internal_port),
                    (false, _) => format!("{} {proto}", p.internal_port),
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl Row for ContainerRow {
    fn id(&self) -> &str {
        &self.c.id
    }
    fn haystack(&self) -> &str {
        &self.haystack
    }

    fn status(&self) -> &str {
        self.state.as_ref().map(|s| s.as_str()).unwrap_or_default()
    }

    fn sort_key(&self, col: &str) -> SortKey<'_> {
        match col {
            "image" => SortKey::Text(&self.lower[1]),
            "state" => SortKey::Text(self.status()),
            "deployed" => SortKey::Text(self.last_deployment.as_deref().unwrap_or_default()),
            "cpu" => SortKey::Num(self.c.cpu as f64),
            "memory" => SortKey::Num(self.c.memory as f64),
            _ => SortKey::Text(&self.lower[0]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries_read_well() {
        let c: ContainerResponse = serde_json::from_value(serde_json::json!({
            "id": "1", "name": "Web", "image_name": "nginx", "tag": "1.27", "min_running_instances": 1, "max_running_instances": -1,
            "ports": [{"internal_port": 80, "external_port": 443, "publicly_accessible": true},
                      {"internal_port": 9090, "publicly_accessible": false, "protocol": "TCP"}]
        }))
        .expect("container");
        let r = ContainerRow::new(c, Some(State::Deployed), None);
        assert_eq!(r.instances(), "1–∞");
        assert_eq!(r.ports(), "443→80 HTTP public, 9090 TCP");
        assert!(r.haystack().contains("web nginx:1.27"));
        assert_eq!(r.status(), "DEPLOYED");
    }
}
