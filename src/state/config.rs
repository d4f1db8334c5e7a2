//! Where the runtime config comes from: `config.json` beside index.html, or the host portal.

use berth_api::config::AppConfig;

#[derive(Clone, Debug)]
pub enum ConfigSource {
    /// Load `config.json` from the console's base path.
    Fetch,
    /// Passed by a host page to `mount`.
    Given(AppConfig),
}

impl ConfigSource {
    pub async fn load(self, base: &super::base::Base) -> Result<AppConfig, String> {
        match self {
            ConfigSource::Given(c) => Ok(c),
            ConfigSource::Fetch => {
                crate::api::config::fetch_config(&base.href("/config.json")).await
            }
        }
    }
}
