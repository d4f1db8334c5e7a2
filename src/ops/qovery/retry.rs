//! Trying again what failed. Each failed operation is sent once more, alone: a batch was all or
//! nothing when sent, but its containers fail one by one, and what went through must not be done
//! twice.

use berth_api::config::{BackendKind, Connection};
use berth_api::qovery::{ServiceAction, State};

use super::{act, Subject};
use crate::state::pending::{Outcome, Pending, PendingKind, Target};

/// The action that `p` was, when it can be sent again as it was.
fn action_of(kind: PendingKind) -> Option<ServiceAction> {
    match kind {
        PendingKind::Deploy => Some(ServiceAction::Deploy),
        PendingKind::Redeploy => Some(ServiceAction::Redeploy),
        PendingKind::Restart => Some(ServiceAction::Restart),
        PendingKind::Stop => Some(ServiceAction::Stop),
        // A create is the form's to redo; a failed delete left the container as it was.
        PendingKind::Create | PendingKind::Delete => None,
    }
}

/// Whether `p` failed and may be tried again: a Qovery deploy, redeploy, restart or stop, and the
/// newest operation on its container (once tried again, the new entry is the one to look at).
pub fn retryable(p: &Pending, all: &[Pending]) -> bool {
    let Target::Qovery { container } = &p.target else {
        return false;
    };
    matches!(p.outcome, Some(Outcome::Failed(_)))
        && action_of(p.kind).is_some()
        && !all.iter().any(|o| {
            o.id != p.id
                && o.conn == p.conn
                && matches!(&o.target, Target::Qovery { container: c } if c == container)
                && o.started_ms >= p.started_ms
        })
}

/// Sends each of `failed` again that is [`retryable`] among `all`, each on its own; answers why
/// any could not be sent.
pub fn retry(
    find: impl Fn(&BackendKind, &str) -> Option<Connection>,
    failed: &[Pending],
    all: &[Pending],
) -> Vec<String> {
    let mut refused = Vec::new();
    for p in failed.iter().filter(|p| retryable(p, all)) {
        let (Target::Qovery { container }, Some(action)) = (&p.target, action_of(p.kind)) else {
            continue;
        };
        let Some(conn) = find(&BackendKind::Qovery, &p.conn) else {
            refused.push(format!("{}: the connection `{}` is gone", p.name, p.conn));
            continue;
        };
        let subject = Subject {
            id: container.clone(),
            // A tag deploy is named "web (v2)"; the container now carries that tag.
            name: p.name.split(" (").next().unwrap_or(&p.name).to_string(),
            state: Some(State::from_wire(&p.state)),
            last_deployment: None,
        };
        // What the request answers is reported by the new entry (toast and Actions).
        if let Err(no) = act(conn, subject, action, None, |_| {}) {
            refused.push(no.to_string());
        }
    }
    refused
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: &str, container: &str, kind: PendingKind, started: f64, failed: bool) -> Pending {
        let mut p = Pending::new(
            id.into(),
            "s".into(),
            Target::Qovery {
                container: container.into(),
            },
            kind,
            container.into(),
            "DEPLOYMENT_ERROR".into(),
            started,
        );
        p.outcome = Some(if failed {
            Outcome::Failed("ended in deployment error".into())
        } else {
            Outcome::Success
        });
        p
    }

    #[test]
    fn only_the_newest_failed_operation_of_a_container_may_be_tried_again() {
        let a = entry("a", "c1", PendingKind::Deploy, 1.0, true);
        let ok = entry("b", "c2", PendingKind::Deploy, 1.0, false);
        let del = entry("d", "c3", PendingKind::Delete, 1.0, true);
        let all = vec![a.clone(), ok.clone(), del.clone()];
        assert!(retryable(&a, &all));
        assert!(!retryable(&ok, &all), "it went through");
        assert!(
            !retryable(&del, &all),
            "a delete is not tried again from here"
        );
        // Tried again: the new entry is the one to look at, the old one is history.
        let again = entry("a2", "c1", PendingKind::Deploy, 2.0, true);
        let all = vec![a.clone(), again.clone()];
        assert!(!retryable(&a, &all));
        assert!(retryable(&again, &all));
    }
}
