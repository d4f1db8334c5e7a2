//! A status chip: a state's words in its tone (`ops::words` says which).

use leptos::prelude::*;

use crate::ops::words::Tone;

#[component]
pub fn Chip(#[prop(into)] label: String, tone: Tone) -> impl IntoView {
    view! { <span class=tone.class() data-tone=tone.name()>{label}</span> }
}
