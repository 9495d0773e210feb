//! The recipes Personalize provides, as data: the custom recipes of
//! "Choosing a recipe"
//! (https://docs.aws.amazon.com/personalize/latest/dg/working-with-predefined-recipes.html,
//! each with the recipe type its table gives) and the use cases of the two
//! domains, which CreateRecommender takes as its `recipeArn`
//! (https://docs.aws.amazon.com/personalize/latest/dg/ECOMMERCE-use-cases.html,
//! https://docs.aws.amazon.com/personalize/latest/dg/VIDEO_ON_DEMAND-use-cases.html:
//! "If you use the CreateRecommender API, provide the ARN listed here for the
//! recipe ARN"). Every recipe's ARN is `arn:aws:personalize:::recipe/<name>`.

use crate::resource::Domain;

/// The prefix of every recipe ARN (the pages above give them in full).
pub const ARN_PREFIX: &str = "arn:aws:personalize:::recipe/";

/// One recipe or domain use case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recipe {
    /// The name in its ARN, e.g. `aws-user-personalization-v2`.
    pub name: &'static str,
    /// The recipe type "Choosing a recipe" gives a custom recipe
    /// (USER_PERSONALIZATION, PERSONALIZED_RANKING, POPULAR_ITEMS,
    /// RELATED_ITEMS, PERSONALIZED_ACTIONS, USER_SEGMENTATION); the use-case
    /// pages give none for use cases.
    pub recipe_type: Option<&'static str>,
    /// The domain of a use case; `None` for a custom recipe.
    pub domain: Option<Domain>,
}

const fn custom(name: &'static str, recipe_type: &'static str) -> Recipe {
    Recipe {
        name,
        recipe_type: Some(recipe_type),
        domain: None,
    }
}

const fn use_case(name: &'static str, domain: Domain) -> Recipe {
    Recipe {
        name,
        recipe_type: None,
        domain: Some(domain),
    }
}

/// Every recipe, custom ones first, in the order of their pages.
pub const RECIPES: [Recipe; 25] = [
    // working-with-predefined-recipes.html, "Amazon Personalize recipes".
    custom("aws-user-personalization-v2", "USER_PERSONALIZATION"),
    custom("aws-user-personalization", "USER_PERSONALIZATION"),
    custom("aws-trending-now", "POPULAR_ITEMS"),
    custom("aws-popularity-count", "POPULAR_ITEMS"),
    custom("aws-personalized-ranking-v2", "PERSONALIZED_RANKING"),
    custom("aws-personalized-ranking", "PERSONALIZED_RANKING"),
    custom("aws-semantic-similarity", "RELATED_ITEMS"),
    custom("aws-similar-items", "RELATED_ITEMS"),
    custom("aws-sims", "RELATED_ITEMS"),
    custom("aws-next-best-action", "PERSONALIZED_ACTIONS"),
    custom("aws-item-affinity", "USER_SEGMENTATION"),
    custom("aws-item-attribute-affinity", "USER_SEGMENTATION"),
    // The legacy HRNN recipes (native-recipe-hrnn.html and its siblings):
    // no longer offered for new solutions in the console, still listed by
    // ListRecipes and accepted by CreateSolution.
    custom("aws-hrnn", "USER_PERSONALIZATION"),
    custom("aws-hrnn-metadata", "USER_PERSONALIZATION"),
    custom("aws-hrnn-coldstart", "USER_PERSONALIZATION"),
    // ECOMMERCE-use-cases.html
    use_case("aws-ecomm-popular-items-by-views", Domain::Ecommerce),
    use_case("aws-ecomm-popular-items-by-purchases", Domain::Ecommerce),
    use_case("aws-ecomm-frequently-bought-together", Domain::Ecommerce),
    use_case(
        "aws-ecomm-customers-who-viewed-x-also-viewed",
        Domain::Ecommerce,
    ),
    use_case("aws-ecomm-recommended-for-you", Domain::Ecommerce),
    // VIDEO_ON_DEMAND-use-cases.html
    use_case("aws-vod-because-you-watched-x", Domain::VideoOnDemand),
    use_case("aws-vod-more-like-x", Domain::VideoOnDemand),
    use_case("aws-vod-most-popular", Domain::VideoOnDemand),
    use_case("aws-vod-trending-now", Domain::VideoOnDemand),
    use_case("aws-vod-top-picks", Domain::VideoOnDemand),
];

impl Recipe {
    pub fn arn(&self) -> String {
        format!("{ARN_PREFIX}{}", self.name)
    }

    /// Whether it is a use case of a domain (a recommender's recipe).
    pub fn is_use_case(&self) -> bool {
        self.domain.is_some()
    }
}

/// The recipe with this ARN, or with this name (a spec may give either).
pub fn find(arn_or_name: &str) -> Option<&'static Recipe> {
    let name = arn_or_name.strip_prefix(ARN_PREFIX).unwrap_or(arn_or_name);
    RECIPES.iter().find(|r| r.name == name)
}

/// The use cases of `domain`, in the order of its page.
pub fn use_cases(domain: Domain) -> impl Iterator<Item = &'static Recipe> {
    RECIPES.iter().filter(move |r| r.domain == Some(domain))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recipes_are_found_by_arn_or_name_and_use_cases_by_domain() {
        let v2 = find("arn:aws:personalize:::recipe/aws-user-personalization-v2").unwrap();
        assert_eq!(v2.recipe_type, Some("USER_PERSONALIZATION"));
        assert_eq!(
            find("aws-sims").unwrap().arn(),
            format!("{ARN_PREFIX}aws-sims")
        );
        assert_eq!(find("arn:aws:personalize:::recipe/aws-nope"), None);
        assert_eq!(use_cases(Domain::Ecommerce).count(), 5);
        assert!(use_cases(Domain::VideoOnDemand).all(|r| r.name.starts_with("aws-vod-")));
        let mut names: Vec<_> = RECIPES.iter().map(|r| r.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), RECIPES.len(), "names are unique");
    }
}
