//! Status chips: a label and a tone for every Qovery state and every Kopernik status string.

use berth_api::qovery::State;
use leptos::prelude::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    Ok,
    Busy,
    Error,
    Neutral,
}

impl Tone {
    pub fn name(self) -> &'static str {
        match self {
            Tone::Ok => "ok",
            Tone::Busy => "busy",
            Tone::Error => "error",
            Tone::Neutral => "neutral",
        }
    }

    pub fn class(self) -> &'static str {
        match self {
            Tone::Ok => "berth-chip berth-chip-ok",
            Tone::Busy => "berth-chip berth-chip-busy",
            Tone::Error => "berth-chip berth-chip-error",
            Tone::Neutral => "berth-chip",
        }
    }
}

/// "DEPLOYMENT_QUEUED" → "Deployment queued"; READY is "Never deployed".
pub fn qovery_label(state: &State) -> (String, Tone) {
    let tone = if state.is_error() || *state == State::Recap {
        Tone::Error
    } else if state.is_transitional() {
        Tone::Busy
    } else if matches!(state, State::Deployed | State::Restarted) {
        Tone::Ok
    } else {
        Tone::Neutral
    };
    let label = match state {
        State::Ready => "Never deployed".to_string(),
        other => sentence(other.as_str()),
    };
    (label, tone)
}

/// Kopernik statuses are the provider's own strings: known ones get a tone, the rest are neutral.
pub fn kopernik_tone(status: &str) -> Tone {
    match status.to_ascii_lowercase().as_str() {
        "active" | "running" | "available" => Tone::Ok,
        "new" | "provisioning" | "pending" | "booting" | "deleting" | "starting" | "stopping" => {
            Tone::Busy
        }
        "error" | "failed" | "errored" => Tone::Error,
        _ => Tone::Neutral,
    }
}

fn sentence(s: &str) -> String {
    crate::text::capitalized(&crate::text::lower(&s.replace('_', " ")))
}

#[component]
pub fn Chip(#[prop(into)] label: String, tone: Tone) -> impl IntoView {
    view! { <span class=tone.class() data-tone=tone.name()>{label}</span> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_state_has_a_label_and_tone() {
        for s in State::ALL {
            let (label, tone) = qovery_label(s);
            assert!(!label.is_empty() && !label.contains('_'), "{s}: {label}");
            if s.as_str().ends_with("_ERROR") {
                assert_eq!(tone, Tone::Error, "{s}");
            }
            if s.is_transitional() {
                assert_eq!(tone, Tone::Busy, "{s}");
            }
        }
        assert_eq!(qovery_label(&State::Ready).0, "Never deployed");
        assert_eq!(
            qovery_label(&State::DeploymentQueued),
            ("Deployment queued".to_string(), Tone::Busy)
        );
        assert_eq!(
            qovery_label(&State::Unknown("NEW_THING".into())),
            ("New thing".to_string(), Tone::Neutral)
        );
        assert_eq!(kopernik_tone("Active"), Tone::Ok);
        assert_eq!(kopernik_tone("weird"), Tone::Neutral);
    }
}
