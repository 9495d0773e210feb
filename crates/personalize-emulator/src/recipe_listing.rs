//! DescribeRecipe and ListRecipes, answered from the rulebook's recipe table
//! (`rules::recipes`, with the pages it comes from). Recipes belong to the
//! service, not the account: every account sees the same ones, all ACTIVE.

use serde_json::{json, Map, Value};

use super::api;
use super::error::ApiError;
use super::model::epoch_seconds;
use super::request_shape::present;
use personalize_facts::resource::Domain;
use personalize_facts::rules::recipes::{self, Recipe, RECIPES};

/// The time every recipe shows as created and last updated: Personalize's
/// general availability (2019-06-10), as no page gives a recipe's own.
const SINCE_MS: u64 = 1_560_124_800_000;

/// DescribeRecipe: an ARN missing from the table is ResourceNotFoundException
/// (https://docs.aws.amazon.com/personalize/latest/dg/API_DescribeRecipe.html
/// lists it: "Could not find the specified resource").
pub fn describe(arn: &str) -> Result<Value, ApiError> {
    let recipe = recipes::find(arn)
        .filter(|r| r.arn() == arn)
        .ok_or_else(|| ApiError::not_found(arn))?;
    let mut out = common(recipe);
    // The Recipe shape has no `domain`; it has `recipeType`, given for the
    // custom recipes only (the use-case pages name none).
    if let Some(recipe_type) = recipe.recipe_type {
        out.insert("recipeType".into(), Value::from(recipe_type));
    }
    Ok(json!({ "recipe": out }))
}

/// ListRecipes: narrowed by `domain` ("Filters returned recipes by domain for a
/// Domain dataset group. Only recipes (Domain dataset group use cases) for
/// this domain are included in the response. If you don't specify a domain,
/// all recipes are returned.") and `recipeProvider` (only SERVICE exists),
/// https://docs.aws.amazon.com/personalize/latest/dg/API_ListRecipes.html.
/// Pages by position in the table, with the token format of every list.
pub fn list(input: &Map<String, Value>) -> Result<Value, ApiError> {
    let after = api::after(input)?;
    let domain = present(input, "domain")
        .and_then(Value::as_str)
        .and_then(Domain::from_api);
    let found = (0u64..).zip(RECIPES.iter()).filter(|(i, r)| {
        after.is_none_or(|a| *i > a) && domain.is_none_or(|d| r.domain == Some(d))
    });
    Ok(api::paged(input, found, "recipes", |r| {
        let mut summary = common(r);
        if let Some(d) = r.domain {
            summary.insert("domain".into(), Value::from(d.as_api()));
        }
        Value::Object(summary)
    }))
}

/// The members a recipe shows in both its Describe and its summary.
fn common(recipe: &Recipe) -> Map<String, Value> {
    let since = epoch_seconds(SINCE_MS);
    let mut out = Map::new();
    out.insert("name".into(), Value::from(recipe.name));
    out.insert("recipeArn".into(), Value::from(recipe.arn()));
    out.insert("status".into(), Value::from("ACTIVE"));
    out.insert("creationDateTime".into(), Value::from(since));
    out.insert("lastUpdatedDateTime".into(), Value::from(since));
    out
}
