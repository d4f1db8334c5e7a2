//! Where the runtime config comes from: a `config.json` URL, or the host portal.

use berth_api::config::AppConfig;

#[derive(Clone, Debug)]
pub enum ConfigSource {
    /// Load a `config.json`; its relative base URLs are resolved against its folder.
    Url(String),
    /// Passed by a host page to `mount` or `<berth-console>`.
    Given(AppConfig),
}

impl ConfigSource {
    /// The config; its request timeout becomes the page's (see `api::http::timeout`).
    pub async fn load(self) -> Result<AppConfig, String> {
        let config = match self {
            ConfigSource::Given(c) => Ok(c),
            ConfigSource::Url(url) => {
                crate::api::config::fetch_config(&url, &folder_of(&url)).await
            }
        };
        if let Ok(c) = &config {
            crate::api::http::set_timeout(c.request_timeout_ms);
        }
        config
    }
}

/// The folder of a config URL (a path on this site, or a full URL): what relative base URLs of
/// the config found there are resolved against.
pub fn folder_of(url: &str) -> String {
    let url = url.split(['?', '#']).next().unwrap_or_default();
    match url.rfind('/') {
        Some(i) => url[..=i].to_string(),
        None => "/".into(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_folder_of_a_config_url() {
        assert_eq!(super::folder_of("/console/config.json"), "/console/");
        assert_eq!(super::folder_of("/config.json?v=2"), "/");
        assert_eq!(
            super::folder_of("https://cdn.example/b/config.json"),
            "https://cdn.example/b/"
        );
        assert_eq!(super::folder_of("config.json"), "/");
    }
}
