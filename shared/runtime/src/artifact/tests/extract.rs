//! Extraction tests: the good tree, each malicious tarball refused with its own error and
//! nothing left behind, limits, and the temp-dir guard.

use tar::EntryType;

use super::{TestEntry, assert_good_tree, good_artifact, listing, long_name_bomb, tar_gz};
use crate::artifact::{
    ArtifactError, ExtractLimits, MAX_ENTRY_METADATA, extract_tar_gz, extract_tar_gz_to_temp_dir,
};

/// Extracts `archive` into `<tmp>/out` and expects a refusal that leaves `<tmp>` empty.
fn refused(archive: &[u8], limits: &ExtractLimits) -> ArtifactError {
    let tmp = tempfile::tempdir().expect("tmp");
    let dest = tmp.path().join("out");
    let err = extract_tar_gz(archive, &dest, limits).expect_err("archive must be refused");
    assert!(
        listing(tmp.path()).is_empty(),
        "left behind: {:?}",
        listing(tmp.path())
    );
    assert!(err.is_bad_archive(), "{err:?}");
    assert!(!err.is_transient(), "{err:?}");
    err
}

fn refused_default(entries: &[TestEntry]) -> ArtifactError {
    refused(&tar_gz(entries), &ExtractLimits::default())
}

#[test]
fn good_archive_extracts_with_files_modes_and_links() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dest = tmp.path().join("out");
    let stats = extract_tar_gz(good_artifact().as_slice(), &dest, &ExtractLimits::default())
        .expect("extract");
    assert_good_tree(&dest);
    assert_eq!(
        (stats.files, stats.dirs, stats.symlinks, stats.hard_links),
        (5, 1, 2, 1)
    );
    assert_eq!(listing(tmp.path()), ["out"], "no staging directory left");
}

#[test]
fn extracts_into_an_existing_empty_dir_but_not_a_full_one() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dest = tmp.path().join("out");
    std::fs::create_dir(&dest).expect("mkdir");
    extract_tar_gz(good_artifact().as_slice(), &dest, &ExtractLimits::default())
        .expect("empty dir");
    assert_good_tree(&dest);
    let err = extract_tar_gz(good_artifact().as_slice(), &dest, &ExtractLimits::default())
        .expect_err("full");
    assert!(
        matches!(err, ArtifactError::DestinationNotEmpty { .. }),
        "{err:?}"
    );
}

#[test]
fn parent_traversal_is_refused() {
    let err = refused_default(&[
        TestEntry::file("ok.yaml", 0o644, b"ok"),
        TestEntry::file("../evil", 0o644, b"x"),
    ]);
    assert!(
        matches!(&err, ArtifactError::PathTraversal { entry } if entry == "../evil"),
        "{err:?}"
    );
    assert!(err.to_string().contains("\"../evil\""), "{err}");
    let nested = refused_default(&[TestEntry::file("a/../../evil", 0o644, b"x")]);
    assert!(
        matches!(nested, ArtifactError::PathTraversal { .. }),
        "{nested:?}"
    );
}

#[test]
fn absolute_path_is_refused() {
    let err = refused_default(&[TestEntry::file("/etc/evil", 0o644, b"x")]);
    assert!(
        matches!(&err, ArtifactError::AbsolutePath { entry } if entry == "/etc/evil"),
        "{err:?}"
    );
}

#[test]
fn symlink_to_absolute_target_is_refused() {
    let err = refused_default(&[TestEntry::symlink("etc", "/etc")]);
    assert!(
        matches!(&err, ArtifactError::SymlinkEscape { entry, target } if entry == "etc" && target == "/etc"),
        "{err:?}"
    );
}

#[test]
fn symlink_climbing_out_is_refused() {
    let err = refused_default(&[
        TestEntry::dir("a/", 0o755),
        TestEntry::symlink("a/link", "../../x"),
    ]);
    assert!(
        matches!(&err, ArtifactError::SymlinkEscape { entry, .. } if entry == "a/link"),
        "{err:?}"
    );
}

#[test]
fn symlink_escaping_through_another_symlink_is_refused() {
    // `b` is lexically inside, but `a` is the root itself, so `a/..` is its parent.
    let err = refused_default(&[
        TestEntry::symlink("a", "."),
        TestEntry::symlink("b", "a/../x"),
    ]);
    assert!(
        matches!(&err, ArtifactError::SymlinkEscape { entry, .. } if entry == "b"),
        "{err:?}"
    );
    // Same, with the links in the other order: only the final check can see it.
    let late = refused_default(&[
        TestEntry::symlink("b", "a/../x"),
        TestEntry::symlink("a", "."),
    ]);
    assert!(
        matches!(&late, ArtifactError::SymlinkEscape { entry, .. } if entry == "b"),
        "{late:?}"
    );
}

#[test]
fn symlink_loop_is_refused() {
    let err = refused_default(&[TestEntry::symlink("a", "b"), TestEntry::symlink("b", "a")]);
    assert!(matches!(err, ArtifactError::SymlinkLoop { .. }), "{err:?}");
}

#[test]
fn writing_through_a_symlinked_dir_is_refused() {
    let err = refused_default(&[
        TestEntry::dir("real/", 0o755),
        TestEntry::symlink("link", "real"),
        TestEntry::symlink("link/inner", "x"),
    ]);
    assert!(
        matches!(&err, ArtifactError::EntryConflict { entry, .. } if entry == "link/inner"),
        "{err:?}"
    );
}

#[test]
fn hard_links_out_of_the_root_are_refused() {
    let err = refused_default(&[TestEntry::hard_link("passwd", "/etc/passwd")]);
    assert!(
        matches!(&err, ArtifactError::HardLinkEscape { entry, target } if entry == "passwd" && target == "/etc/passwd"),
        "{err:?}"
    );
    let up = refused_default(&[TestEntry::hard_link("x", "../outside")]);
    assert!(matches!(up, ArtifactError::HardLinkEscape { .. }), "{up:?}");
    let missing = refused_default(&[TestEntry::hard_link("x", "not-there")]);
    assert!(
        matches!(missing, ArtifactError::HardLinkTarget { .. }),
        "{missing:?}"
    );
    let to_dir = refused_default(&[TestEntry::dir("d/", 0o755), TestEntry::hard_link("x", "d")]);
    assert!(
        matches!(to_dir, ArtifactError::HardLinkTarget { .. }),
        "{to_dir:?}"
    );
}

#[test]
fn devices_and_fifos_are_refused() {
    let cases = [
        (EntryType::Char, "character device"),
        (EntryType::Block, "block device"),
        (EntryType::Fifo, "FIFO"),
    ];
    for (kind, name) in cases {
        let err = refused_default(&[TestEntry::special("dev/thing", kind)]);
        assert!(
            matches!(&err, ArtifactError::UnsupportedEntry { entry, kind } if entry == "dev/thing" && *kind == name),
            "{err:?}"
        );
    }
}

#[test]
fn too_many_entries_are_refused() {
    let names = ["a", "b", "c", "d", "e", "f"];
    let entries: Vec<TestEntry> = names
        .iter()
        .map(|n| TestEntry::file(n, 0o644, b"x"))
        .collect();
    let limits = ExtractLimits {
        max_entries: Some(5),
        ..ExtractLimits::default()
    };
    let err = refused(&tar_gz(&entries), &limits);
    assert!(
        matches!(&err, ArtifactError::TooManyEntries { entry, limit: 5 } if entry == "f"),
        "{err:?}"
    );
    let tmp = tempfile::tempdir().expect("tmp");
    let at_limit = ExtractLimits {
        max_entries: Some(6),
        ..limits
    };
    extract_tar_gz(
        tar_gz(&entries).as_slice(),
        &tmp.path().join("out"),
        &at_limit,
    )
    .expect("6 entries fit");
}

#[test]
fn gzip_bomb_over_the_untar_size_is_refused() {
    let limits = ExtractLimits {
        max_untar_size: Some(1 << 20),
        ..ExtractLimits::default()
    };
    let archive = tar_gz(&[TestEntry::zeros("bomb", 4 << 20)]);
    assert!(
        archive.len() < 64 << 10,
        "the bomb is small: {} bytes",
        archive.len()
    );
    let err = refused(&archive, &limits);
    assert!(
        matches!(&err, ArtifactError::UntarSizeExceeded { entry, limit } if entry == "bomb" && *limit == 1 << 20),
        "{err:?}"
    );
    // The total counts: two entries under the limit each, over it together.
    let two = tar_gz(&[
        TestEntry::zeros("one", 600 << 10),
        TestEntry::zeros("two", 600 << 10),
    ]);
    let err = refused(&two, &limits);
    assert!(
        matches!(&err, ArtifactError::UntarSizeExceeded { entry, .. } if entry == "two"),
        "{err:?}"
    );
}

#[test]
fn oversized_long_name_record_is_refused() {
    let size = usize::try_from(MAX_ENTRY_METADATA).expect("fits") * 2;
    let err = refused(&long_name_bomb(size), &ExtractLimits::unlimited());
    assert!(
        matches!(err, ArtifactError::MetadataTooLarge { .. }),
        "{err:?}"
    );
}

#[test]
fn corrupt_archives_are_refused() {
    let err = refused(b"definitely not gzip", &ExtractLimits::default());
    assert!(matches!(err, ArtifactError::Archive(_)), "{err:?}");
    let mut truncated = good_artifact();
    truncated.truncate(truncated.len() / 2);
    let err = refused(&truncated, &ExtractLimits::default());
    assert!(matches!(err, ArtifactError::Archive(_)), "{err:?}");
}

#[test]
fn temp_dir_guard_deletes_on_drop() {
    let parent = tempfile::tempdir().expect("tmp");
    let extracted = extract_tar_gz_to_temp_dir(
        good_artifact().as_slice(),
        parent.path(),
        &ExtractLimits::default(),
    )
    .expect("extract");
    let path = extracted.path().to_path_buf();
    assert!(path.starts_with(parent.path()));
    assert_good_tree(&path);
    drop(extracted);
    assert!(!path.exists(), "guard deleted the directory");
    assert!(listing(parent.path()).is_empty());

    let err = extract_tar_gz_to_temp_dir(
        tar_gz(&[TestEntry::file("../x", 0o644, b"x")]).as_slice(),
        parent.path(),
        &ExtractLimits::default(),
    )
    .expect_err("refused");
    assert!(
        matches!(err, ArtifactError::PathTraversal { .. }),
        "{err:?}"
    );
    assert!(
        listing(parent.path()).is_empty(),
        "a refused archive leaves no directory"
    );
}

#[test]
fn read_only_directories_do_not_block_cleanup() {
    let parent = tempfile::tempdir().expect("tmp");
    let archive = tar_gz(&[
        TestEntry::dir("ro/", 0o500),
        TestEntry::file("ro/f", 0o400, b"x"),
    ]);
    let extracted =
        extract_tar_gz_to_temp_dir(archive.as_slice(), parent.path(), &ExtractLimits::default())
            .expect("extract");
    extracted.close().expect("deleted");
    assert!(listing(parent.path()).is_empty());
}
