//! Creating or editing a container from the form, and setting its variables right after: the
//! steps of the form's submit that reach the server. A lost answer is checked by a read before
//! anything is sent again: a lost create is looked up by name, a lost import by the container's
//! variables.

use berth_api::config::Connection;
use berth_api::qovery::{ContainerRequest, ContainerResponse};
use berth_api::variables::VariableImportRequest;

use super::super::answer_lost;
use crate::api::{self, ApiError};

/// A container the submit created or saved.
#[derive(Clone, Debug, PartialEq)]
pub struct Saved {
    pub id: String,
    pub name: String,
}

/// Creates the container in `env` (or saves `existing` with a full PUT). A create whose answer
/// was lost is looked up by its name in the environment: found, it was created and is not sent
/// again; not found, the error stands and the form may be sent again.
pub async fn save_container(
    c: &Connection,
    env: &str,
    existing: Option<&str>,
    req: &ContainerRequest,
) -> Result<Saved, ApiError> {
    match api::qovery::save_container(c, env, existing, req).await {
        Ok(s) => Ok(Saved {
            id: s.id,
            name: s.name,
        }),
        Err(e) if existing.is_none() && answer_lost(&e) => {
            match api::qovery::containers::<ContainerResponse>(c, env).await {
                Ok(list) => match list.into_iter().find(|x| x.name == req.name) {
                    Some(found) => Ok(Saved {
                        id: found.id,
                        name: found.name,
                    }),
                    None => Err(not_created(e)),
                },
                Err(_) => Err(still_unknown(e)),
            }
        }
        Err(e) => Err(e),
    }
}

fn not_created(mut e: ApiError) -> ApiError {
    e.message = format!(
        "{}; the environment has no container of that name, so it was not created: you can send it again",
        e.message
    );
    e
}

fn still_unknown(mut e: ApiError) -> ApiError {
    e.message = format!(
        "{}; the container may have been created: look at the environment's list before sending it again",
        e.message
    );
    e
}

/// Sets the form's variables on the container in one import: the keys not set, each with why
/// (all set: none). An import whose answer was lost is checked by reading the container's
/// variables: a key found there was set.
pub async fn import_variables(
    c: &Connection,
    id: &str,
    body: VariableImportRequest,
) -> Vec<(String, String)> {
    if body.vars.is_empty() {
        return Vec::new();
    }
    match api::qovery::import_variables(c, id, &body).await {
        Ok(answer) => {
            let names = answer.failed_names(&body);
            let reasons = answer.failed_imported_variables.unwrap_or_default();
            names
                .into_iter()
                .map(|n| {
                    let why = reasons
                        .iter()
                        .find(|f| f.name == n)
                        .map(|f| f.reason.clone())
                        .unwrap_or_else(|| "not imported".into());
                    (n, why)
                })
                .collect()
        }
        Err(e) => {
            let set = if answer_lost(&e) {
                keys_set(c, id).await
            } else {
                Vec::new()
            };
            let why = format!("the import failed: {}", api::describe(&e));
            body.vars
                .into_iter()
                .filter(|v| !set.contains(&v.name))
                .map(|v| (v.name, why.clone()))
                .collect()
        }
    }
}

/// The keys the container's own variables and secrets have now (none when they cannot be read).
async fn keys_set(c: &Connection, id: &str) -> Vec<String> {
    match super::variables::read(c, id).await {
        Ok((own, _)) => own.into_iter().map(|v| v.saved_key).collect(),
        Err(_) => Vec::new(),
    }
}
