//! Field-level tolerance: a value of the wrong type reads as absent instead of failing the whole
//! record (`#[serde(default, deserialize_with = "crate::lenient::opt")]`).

use serde::{Deserialize, Deserializer};

/// `Some(value)` when the field decodes as `T`; `None` when it is null or of another type.
pub(crate) fn opt<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    let v = serde_json::Value::deserialize(d)?;
    Ok(T::deserialize(v).ok())
}

/// The items of a list that decode as `T`, the others dropped (with how many); a list that is
/// null or not a list reads as empty.
pub(crate) fn items<T: serde::de::DeserializeOwned>(v: serde_json::Value) -> (Vec<T>, usize) {
    let serde_json::Value::Array(all) = v else {
        return (Vec::new(), 0);
    };
    let total = all.len();
    let good: Vec<T> = all
        .into_iter()
        .filter_map(|i| T::deserialize(i).ok())
        .collect();
    let dropped = total - good.len();
    (good, dropped)
}
