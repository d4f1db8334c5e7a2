//! Edits that cannot erase someone else's change (#21): the edit form remembers the server copy it
//! opened on. Save reads the container again first and sends nothing when it changed meanwhile
//! (the review then asks which to keep), and a session draft made on an older copy is offered,
//! never applied over the newer one. Pure.

use serde::{Deserialize, Serialize};

use super::draft::QDraft;

/// An edit's session draft: what the user typed, the server copy it was typed over, and when it
/// was kept (epoch ms).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EditDraft {
    pub draft: QDraft,
    pub base: QDraft,
    pub saved_ms: f64,
}

/// What to do with the stored draft of an edit when the form opens on `server`.
#[derive(Clone, Debug, PartialEq)]
pub enum Restore {
    /// No draft, or one without changes: the form shows the server copy.
    Nothing,
    /// A draft typed over this very copy: restored as before.
    Apply(EditDraft),
    /// A draft typed over an older copy: offered (restore or discard), the form shows the server
    /// copy meanwhile.
    Offer(EditDraft),
}

/// Reads the stored text (an [`EditDraft`], or a plain draft from before drafts had a base,
/// whose base is then unknown and so older) against the copy the form opened on.
pub fn restore(stored: Option<&str>, server: &QDraft) -> Restore {
    let Some(text) = stored else {
        return Restore::Nothing;
    };
    let stored = match serde_json::from_str::<EditDraft>(text) {
        Ok(d) => d,
        Err(_) => match serde_json::from_str::<QDraft>(text) {
            Ok(draft) => EditDraft {
                draft,
                base: QDraft::default(),
                saved_ms: 0.0,
            },
            Err(_) => return Restore::Nothing,
        },
    };
    if stored.draft == stored.base || stored.draft == *server {
        Restore::Nothing
    } else if stored.base == *server {
        Restore::Apply(stored)
    } else {
        Restore::Offer(stored)
    }
}

/// Whether Save may send its PUT: `opened` is the copy the form opened on (or the one the user
/// chose to overwrite), `now` the server's copy read just before, `mine` what the PUT would send.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BeforePut {
    Send,
    /// Someone changed the container since: nothing is sent until the user chooses.
    Review,
}

pub fn before_put(opened: &QDraft, now: &QDraft, mine: &QDraft) -> BeforePut {
    if now == opened || now == mine {
        BeforePut::Send
    } else {
        BeforePut::Review
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn copy(description: &str) -> QDraft {
        QDraft {
            name: "web".into(),
            description: description.into(),
            ..QDraft::default()
        }
    }

    fn stored(draft: &QDraft, base: &QDraft) -> String {
        serde_json::to_string(&EditDraft {
            draft: draft.clone(),
            base: base.clone(),
            saved_ms: 1.0,
        })
        .expect("json")
    }

    #[test]
    fn save_sends_only_over_the_copy_it_opened_on() {
        let (opened, theirs, mine) = (copy("a"), copy("theirs"), copy("mine"));
        assert_eq!(before_put(&opened, &opened, &mine), BeforePut::Send);
        assert_eq!(before_put(&opened, &theirs, &mine), BeforePut::Review);
        // The server already holds exactly what would be sent: nothing of theirs is lost.
        assert_eq!(before_put(&opened, &mine, &mine), BeforePut::Send);
        // After "Overwrite with mine" the copy seen in the review is the one opened on.
        assert_eq!(before_put(&theirs, &theirs, &mine), BeforePut::Send);
    }

    #[test]
    fn a_draft_over_an_older_copy_is_offered_not_applied() {
        let (old, newer, typed) = (copy("a"), copy("b"), copy("typed"));
        assert_eq!(restore(None, &old), Restore::Nothing);
        assert!(matches!(
            restore(Some(&stored(&typed, &old)), &old),
            Restore::Apply(d) if d.draft == typed
        ));
        assert!(matches!(
            restore(Some(&stored(&typed, &old)), &newer),
            Restore::Offer(d) if d.draft == typed && d.base == old
        ));
        // Nothing typed, or nothing left to restore: no offer.
        assert_eq!(restore(Some(&stored(&old, &old)), &newer), Restore::Nothing);
        assert_eq!(
            restore(Some(&stored(&typed, &old)), &typed),
            Restore::Nothing
        );
        // A draft from before drafts had a base: its age is unknown, so it is offered.
        let legacy = serde_json::to_string(&typed).expect("json");
        assert!(matches!(restore(Some(&legacy), &old), Restore::Offer(_)));
        assert_eq!(restore(Some("{"), &old), Restore::Nothing);
    }
}
