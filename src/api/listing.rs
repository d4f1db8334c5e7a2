//! The lists the overview reads, fetched by one future type.
//!
//! Each generic endpoint function (`qovery::projects::<T>`...) is its own future type, whose
//! state machine is compiled into whoever awaits it. The overview is in the main module (the first
//! screen), so it awaits only [`fetch`] and decodes the answer after: measured in docs/delivery.md.

use berth_api::config::Connection;
use berth_api::kopernik::{decode_page, LenientPage};
use berth_api::qovery::ListResponse;
use serde::de::DeserializeOwned;

use super::http::{decode, get_answer, Answer};
use super::ApiError;

/// One list endpoint and its parameters.
pub enum Listing<'a> {
    QoveryOrganizations,
    QoveryProjects {
        org: &'a str,
    },
    QoveryEnvironments {
        project: &'a str,
    },
    QoveryContainers {
        env: &'a str,
    },
    QoveryStatuses {
        env: &'a str,
    },
    /// The first `max` container apps of a Kopernik provider.
    KopernikApps {
        provider: &'a str,
        max: u32,
    },
}

/// GETs a list, answering its undecoded 2xx body.
pub async fn fetch(c: &Connection, what: Listing<'_>) -> Result<Answer, ApiError> {
    let max;
    let (segments, query): (Vec<&str>, Vec<(&str, Option<&str>)>) = match what {
        Listing::QoveryOrganizations => (vec!["organization"], vec![]),
        Listing::QoveryProjects { org } => (vec!["organization", org, "project"], vec![]),
        Listing::QoveryEnvironments { project } => {
            (vec!["project", project, "environment"], vec![])
        }
        Listing::QoveryContainers { env } => (vec!["environment", env, "container"], vec![]),
        Listing::QoveryStatuses { env } => (vec!["environment", env, "statuses"], vec![]),
        Listing::KopernikApps { provider, max: m } => {
            max = m.to_string();
            (
                vec!["resource", "containerapp", provider],
                vec![("maxResults", Some(max.as_str()))],
            )
        }
    };
    get_answer(c, &segments, &query).await
}

/// A Qovery list's `results`, each read as `T`.
pub fn results<T: DeserializeOwned>(answer: &Answer) -> Result<Vec<T>, ApiError> {
    decode::<ListResponse<T>>(answer).map(|l| l.results)
}

/// A whole answer read as `T` (the statuses of an environment).
pub fn read<T: DeserializeOwned>(answer: &Answer) -> Result<T, ApiError> {
    decode(answer)
}

/// A Kopernik page, read item by item (an odd item is reported, not fatal).
pub fn page<T: DeserializeOwned>(answer: &Answer) -> Result<LenientPage<T>, ApiError> {
    decode_page(&answer.body).map_err(|e| ApiError::malformed(answer.status, &e, &answer.body))
}
