//! Turning names into URL slugs (`Google Workspace` → `google-workspace`).

/// Lowercase ASCII letters and digits, other runs of characters folded into one `-`.
pub fn slugify(name: &str) -> String {
    let mut slug = String::with_capacity(name.len());
    let mut pending_dash = false;
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            if pending_dash && !slug.is_empty() {
                slug.push('-');
            }
            pending_dash = false;
            slug.push(c.to_ascii_lowercase());
        } else {
            pending_dash = true;
        }
    }
    slug
}

#[cfg(test)]
mod tests {
    use super::slugify;

    #[test]
    fn folds_punctuation_and_case() {
        assert_eq!(slugify("Google Workspace"), "google-workspace");
        assert_eq!(slugify("  1Password (Business) "), "1password-business");
        assert_eq!(slugify("Code42"), "code42");
        assert_eq!(slugify("a_b"), "a-b");
        assert_eq!(slugify("ÉÉ"), "");
    }
}
