//! `cargo xtask codegen [--check]`: the committed files derived from the API description
//! (`netlicensing_model::api::routes`, the table the server registers its routes from):
//!
//! - `docs/openapi.json`: the OpenAPI 3.1 document, the same text the server serves at `/core/v2/rest/openapi.json`;
//! - `docs/api.md`: the endpoint table between the markers [`BEGIN`] and [`END`]; the rest is hand-written.
//!
//! xtask links the model crate only (no HTTP or storage code), so the check costs seconds, not a server build.

use std::{
    fs,
    path::{Path, PathBuf},
};

use netlicensing_model::{
    api::{self, Access, Answer, BASE, Route},
    types::WireEnum,
};

/// The OpenAPI document.
pub const OPENAPI: &str = "docs/openapi.json";
/// The API overview with the generated endpoint table.
pub const API_MD: &str = "docs/api.md";
/// Start of the generated part of `docs/api.md`.
pub const BEGIN: &str = "<!-- BEGIN GENERATED endpoints: `cargo xtask codegen` writes this table -->";
/// End of the generated part of `docs/api.md`.
pub const END: &str = "<!-- END GENERATED endpoints -->";

/// A derived file: where it goes below the repository root, and what it must contain.
pub struct Output {
    /// Path below the repository root.
    pub path: &'static str,
    /// Expected content.
    pub content: String,
}

/// The repository root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The derived files for a route table; the hand-written parts of `docs/api.md` under `root` are kept.
pub fn outputs(routes: &[Route], root: &Path) -> Result<Vec<Output>, String> {
    let api_md = fs::read_to_string(root.join(API_MD)).map_err(|e| format!("cannot read {API_MD}: {e}"))?;
    Ok(vec![
        Output { path: OPENAPI, content: api::openapi::text(routes) },
        Output { path: API_MD, content: splice(&api_md, &endpoint_table(routes))? },
    ])
}

/// The derived files whose committed content differs from what the route table gives.
pub fn stale(routes: &[Route], root: &Path) -> Result<Vec<&'static str>, String> {
    Ok(outputs(routes, root)?
        .into_iter()
        .filter(|o| fs::read_to_string(root.join(o.path)).ok().as_deref() != Some(o.content.as_str()))
        .map(|o| o.path)
        .collect())
}

/// Fails, naming each stale file, unless every derived file is current.
pub fn check(routes: &[Route], root: &Path) -> Result<(), String> {
    let stale = stale(routes, root)?;
    if stale.is_empty() {
        println!("xtask: {OPENAPI} and {API_MD} are current");
        return Ok(());
    }
    for path in &stale {
        eprintln!("xtask: {path} is stale: the route table changed; run `cargo xtask codegen` and commit the result");
    }
    Err(format!("codegen check ({} stale)", stale.join(", ")))
}

/// Writes the derived files that differ; returns their paths.
pub fn write(routes: &[Route], root: &Path) -> Result<Vec<&'static str>, String> {
    let mut written = Vec::new();
    for output in outputs(routes, root)? {
        let path = root.join(output.path);
        if fs::read_to_string(&path).ok().as_deref() != Some(output.content.as_str()) {
            fs::write(&path, &output.content).map_err(|e| format!("cannot write {}: {e}", output.path))?;
            written.push(output.path);
        }
    }
    Ok(written)
}

/// `cargo xtask codegen [--check]`.
pub fn run(args: &[String]) -> Result<(), String> {
    let routes = api::routes();
    match args.first().map(String::as_str) {
        Some("--check") => check(&routes, &root()),
        None => {
            let written = write(&routes, &root())?;
            if written.is_empty() {
                println!("xtask: {OPENAPI} and {API_MD} were current");
            }
            for path in written {
                println!("xtask: wrote {path}");
            }
            Ok(())
        }
        Some(other) => Err(format!("codegen (unknown argument '{other}'; use --check or nothing)")),
    }
}

/// `text` with the part between the markers replaced by `table`.
fn splice(text: &str, table: &str) -> Result<String, String> {
    let missing = || format!("{API_MD} lacks the markers `{BEGIN}` and `{END}` (each on a line of its own)");
    let start = text.find(BEGIN).ok_or_else(missing)? + BEGIN.len();
    let end = start + text[start..].find(END).ok_or_else(missing)?;
    Ok(format!("{}\n{table}{}", &text[..start], &text[end..]))
}

/// The endpoint table of `docs/api.md`.
pub fn endpoint_table(routes: &[Route]) -> String {
    let mut out = format!(
        "Paths are relative to `{BASE}`, except those marked *(root)*. **Bold** parameters are required; `<N>` is \
         an index (`productModuleNumber0`).\n\n\
         | Method | Path | Operation | Access | Parameters | Answer |\n|---|---|---|---|---|---|\n"
    );
    for route in routes {
        let path = match route.path.strip_prefix(BASE) {
            Some(inner) => format!("`{inner}`"),
            None => format!("`{}` *(root)*", route.path),
        };
        let deprecated = if route.deprecated { " (deprecated)" } else { "" };
        out.push_str(&format!(
            "| `{}` | {path} | `{}` {}{deprecated} | {} | {} | {} |\n",
            route.method.as_str(),
            route.operation_id,
            route.summary,
            access(route.access),
            parameters(route),
            answer(route.answer),
        ));
    }
    out
}

fn access(access: Access) -> String {
    match access {
        Access::Public => "none".into(),
        Access::VendorLogin => "vendor login".into(),
        Access::Role(role) => format!("vendor login; API key ≥ {}", role.as_str().trim_start_matches("ROLE_APIKEY_")),
    }
}

fn parameters(route: &Route) -> String {
    let mut names: Vec<String> = route
        .params
        .iter()
        .filter(|p| !p.deprecated)
        .map(|p| {
            let name = if p.pattern {
                format!("`{}<N>`", p.name.trim_start_matches('^').trim_end_matches("[0-9]*$"))
            } else {
                format!("`{}`", p.name)
            };
            if p.required { format!("**{name}**") } else { name }
        })
        .collect();
    if route.custom_properties {
        names.push("custom properties".into());
    }
    if names.is_empty() { "—".into() } else { names.join(", ") }
}

fn answer(answer: Answer) -> String {
    match answer {
        Answer::Page(ty) => format!("page of `{ty}`"),
        Answer::All(ty) => format!("every `{ty}`"),
        Answer::One(ty) => format!("`{ty}`"),
        Answer::Validation => format!("`{}` items, `ttl`", api::VALIDATION_TYPE),
        Answer::NoContent => "204, no content".into(),
        Answer::Text => "`OK` (text/plain)".into(),
        Answer::OpenApi => "this OpenAPI document (JSON)".into(),
        Answer::Html => "HTML fragment (text/html)".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A scratch copy of the committed derived files.
    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("xtask-codegen-{name}-{}", std::process::id()));
        fs::create_dir_all(dir.join("docs")).expect("scratch dir");
        for path in [OPENAPI, API_MD] {
            fs::copy(root().join(path), dir.join(path)).expect("committed file copied");
        }
        dir
    }

    #[test]
    fn committed_files_are_current() {
        assert_eq!(stale(&api::routes(), &root()).expect("readable"), Vec::<&str>::new(), "run `cargo xtask codegen`");
        check(&api::routes(), &root()).expect("current");
    }

    #[test]
    fn a_route_change_without_regeneration_is_reported_stale() {
        let dir = scratch("change");
        let routes = api::routes();

        let mut added = routes.clone();
        let mut archive = routes.iter().find(|r| r.operation_id == "deleteProduct").expect("a delete route").clone();
        archive.path = format!("{BASE}/product/{{number}}/archive");
        archive.operation_id = "archiveProduct".into();
        added.push(archive);
        assert_eq!(stale(&added, &dir).expect("readable"), [OPENAPI, API_MD]);
        let error = check(&added, &dir).expect_err("stale files fail the check");
        assert!(error.contains(OPENAPI) && error.contains(API_MD), "{error}");

        let removed: Vec<Route> = routes.iter().filter(|r| r.operation_id != "transferLicenses").cloned().collect();
        assert_eq!(stale(&removed, &dir).expect("readable"), [OPENAPI, API_MD]);

        assert_eq!(write(&added, &dir).expect("written"), [OPENAPI, API_MD]);
        check(&added, &dir).expect("current after regeneration");
        assert!(fs::read_to_string(dir.join(API_MD)).expect("api.md").contains("archiveProduct"));
        assert_eq!(stale(&routes, &dir).expect("readable"), [OPENAPI, API_MD], "and stale again for the old table");
        fs::remove_dir_all(dir).ok();
    }

    #[test]
    fn the_generated_table_keeps_the_hand_written_text() {
        let text = format!("intro\n{BEGIN}\nold table\n{END}\nrest\n");
        let spliced = splice(&text, "new table\n").expect("markers found");
        assert_eq!(spliced, format!("intro\n{BEGIN}\nnew table\n{END}\nrest\n"));
        assert_eq!(splice(&spliced, "new table\n").expect("markers found"), spliced);
        assert!(splice("no markers", "x").is_err());
    }
}
