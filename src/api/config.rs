//! Loads the runtime `config.json`.

use berth_api::config::AppConfig;
use gloo_net::http::Request;

/// Fetches and checks a config; its relative base URLs are resolved against `dir`.
pub async fn fetch_config(url: &str, dir: &str) -> Result<AppConfig, String> {
    let response = Request::get(url)
        .send()
        .await
        .map_err(|e| format!("could not load {url}: {e}"))?;
    if !response.ok() {
        return Err(format!("could not load {url}: HTTP {}", response.status()));
    }
    let text = response
        .text()
        .await
        .map_err(|e| format!("could not read {url}: {e}"))?;
    AppConfig::parse_in(&text, Some(dir))
}
