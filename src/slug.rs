//! Turning names into URL slugs (`Google Workspace` → `google-workspace`, `Café Münch` →
//! `cafe-munch`).

/// The longest slug [`slugify`] makes, in characters: a slug names a file and a folder of the
/// site, and a name of 200 characters (more once transliterated: one Chinese character is a
/// syllable) would make file names too long for some file systems and URLs nobody can read.
pub const MAX_SLUG_CHARS: usize = 64;

/// Lowercase ASCII letters and digits, other runs of characters folded into one `-`. Letters of
/// other scripts are transliterated first (`ß` → `ss`, `東京` → `dong-jing`, an emoji to its
/// name), so that a name in any script gives a slug a person can read. At most
/// [`MAX_SLUG_CHARS`] long, cut after a whole word where there is one.
pub fn slugify(name: &str) -> String {
    let ascii = deunicode::deunicode(name);
    let mut slug = String::with_capacity(ascii.len());
    let mut pending_dash = false;
    for c in ascii.chars() {
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
    shorten(slug)
}

/// `slug` cut to [`MAX_SLUG_CHARS`], at the last `-` within the limit, so that no word is cut
/// in two; where that would drop more than half of what fits (a very long word), it is cut
/// where the limit falls instead.
fn shorten(mut slug: String) -> String {
    // The slug is ASCII: a byte is a character.
    if slug.len() > MAX_SLUG_CHARS {
        let cut = match slug[..=MAX_SLUG_CHARS].rfind('-') {
            Some(dash) if dash >= MAX_SLUG_CHARS / 2 => dash,
            _ => MAX_SLUG_CHARS,
        };
        slug.truncate(cut);
    }
    slug
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_punctuation_and_case() {
        assert_eq!(slugify("Google Workspace"), "google-workspace");
        assert_eq!(slugify("  1Password (Business) "), "1password-business");
        assert_eq!(slugify("Code42"), "code42");
        assert_eq!(slugify("a_b"), "a-b");
        assert_eq!(slugify("!!!"), "");
    }

    #[test]
    fn transliterates_other_scripts_to_ascii() {
        assert_eq!(slugify("Café Münch"), "cafe-munch");
        assert_eq!(slugify("ÉÉ"), "ee");
        assert_eq!(slugify("Ærø"), "aero");
        assert_eq!(slugify("Straße"), "strasse");
        assert_eq!(slugify("東京"), "dong-jing");
        assert_eq!(slugify("🚀"), "rocket");
        assert_eq!(slugify("🚀 Launch"), "rocket-launch");
        // Characters with no letters in them give nothing, as punctuation does.
        assert_eq!(slugify("\u{200B}\u{200B}"), "");
    }

    #[test]
    fn a_long_name_is_cut_after_a_whole_word() {
        let slug = slugify(&"Workspace ".repeat(20));
        assert!(slug.len() <= MAX_SLUG_CHARS, "{slug}");
        assert!(slug.ends_with("-workspace"), "{slug}");
        // Cut exactly at the limit when the next character begins a new word.
        let exact = format!("{} b", "a".repeat(MAX_SLUG_CHARS));
        assert_eq!(slugify(&exact), "a".repeat(MAX_SLUG_CHARS));
        let tokyo = slugify(&"東京".repeat(100));
        assert!(tokyo.len() <= MAX_SLUG_CHARS, "{tokyo}");
        assert!(
            tokyo.split('-').all(|w| w == "dong" || w == "jing"),
            "{tokyo}"
        );
    }

    #[test]
    fn a_very_long_word_is_cut_at_the_limit() {
        assert_eq!(slugify(&"x".repeat(500)), "x".repeat(MAX_SLUG_CHARS));
        let slug = slugify(&format!("a {}", "x".repeat(500)));
        assert_eq!(slug, format!("a-{}", "x".repeat(MAX_SLUG_CHARS - 2)));
    }
}
