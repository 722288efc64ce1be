//! Chart loading rules, case by case: metadata validation, file placement, subcharts,
//! archive path checks and .helmignore.

use super::archive::archive_files;
use super::*;

fn file(name: &str, data: &str) -> File {
    File {
        name: name.to_string(),
        data: data.as_bytes().to_vec(),
    }
}

fn chart_yaml(extra: &str) -> File {
    file(
        "Chart.yaml",
        &format!("apiVersion: v2\nname: c\nversion: 1.0.0\n{extra}"),
    )
}

#[test]
fn metadata_is_validated_as_helm_does() {
    let cases = [
        ("name: c\nversion: 1.0.0\n", Ok("v1")),
        (
            "apiVersion: v2\nversion: 1.0.0\n",
            Err("validation: chart.metadata.name is required"),
        ),
        (
            "apiVersion: v2\nname: c\n",
            Err("validation: chart.metadata.version is required"),
        ),
        (
            "apiVersion: v2\nname: a/b\nversion: 1.0.0\n",
            Err("validation: chart.metadata.name \"a/b\" is invalid"),
        ),
        (
            "apiVersion: v2\nname: c\nversion: one\n",
            Err("validation: chart.metadata.version \"one\" is invalid"),
        ),
        (
            "apiVersion: v2\nname: c\nversion: 1.0.0\ntype: plugin\n",
            Err("validation: chart.metadata.type must be application or library"),
        ),
        (
            "apiVersion: v2\nname: c\nversion: 1.0.0\ndependencies:\n- name: x\n  alias: bad.alias\n",
            Err("validation: dependency \"x\" has disallowed characters in the alias"),
        ),
        (
            "apiVersion: v2\nname: c\nversion: 1.0.0\ndependencies:\n- name: dx\n- name: dy\n  alias: dx\n",
            Err("validation: more than one dependency with name or alias \"dx\""),
        ),
    ];
    for (yaml, want) in cases {
        let got = load_files(vec![file("Chart.yaml", yaml)])
            .map(|c| c.metadata.api_version)
            .map_err(|e| e.0);
        assert_eq!(
            got.as_deref(),
            want.map_err(str::to_string).as_deref(),
            "Chart.yaml {yaml:?}"
        );
    }
    let e = load_files(vec![file("values.yaml", "a: 1\n")]).unwrap_err();
    assert_eq!(e.0, "Chart.yaml file is missing");
}

#[test]
fn files_land_where_helm_puts_them() {
    let c = load_files(vec![
        chart_yaml(""),
        file("values.yaml", "a: 1\n---\nb: 2\n"),
        file("values.schema.json", "{}"),
        file("templates/x.yaml", "x"),
        file("templates/_h.tpl", "h"),
        file("crds/c.yaml", "c"),
        file("README.md", "r"),
        file(
            "charts/sub/Chart.yaml",
            "apiVersion: v2\nname: sub\nversion: 0.1.0\n",
        ),
        file("charts/sub/templates/s.yaml", "s"),
        file("charts/_skipped/Chart.yaml", "not even yaml: ["),
        file("charts/sig.prov", "p"),
    ])
    .unwrap();
    assert_eq!(c.templates.len(), 2);
    assert_eq!(c.values.get("a").and_then(|v| v.as_f64()), Some(1.0));
    assert_eq!(c.values.get("b").and_then(|v| v.as_f64()), Some(2.0));
    assert!(c.schema.is_some());
    let names: Vec<&str> = c.files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["crds/c.yaml", "README.md", "charts/sig.prov"]);
    assert_eq!(c.dependencies.len(), 1);
    assert_eq!(c.dependencies[0].templates[0].name, "templates/s.yaml");
    assert_eq!(c.crd_objects("c")[0].0, "c/crds/c.yaml");
}

#[test]
fn bad_subcharts_and_values_name_the_place() {
    let e = load_files(vec![
        chart_yaml(""),
        file("charts/sub/values.yaml", "a: 1\n"),
    ])
    .unwrap_err();
    assert_eq!(
        e.0,
        "error unpacking subchart sub in c: Chart.yaml file is missing"
    );
    let e = load_files(vec![chart_yaml(""), file("values.yaml", "- a\n")]).unwrap_err();
    assert!(
        e.0.starts_with("cannot load values.yaml: cannot unmarshal yaml document: "),
        "{}",
        e.0
    );
}

fn tgz(entries: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write;
    let mut tar = tar::Builder::new(Vec::new());
    for (name, data) in entries {
        let mut header = tar::Header::new_gnu();
        header.set_size(data.len() as u64);
        header.set_mode(0o644);
        let bytes = name.as_bytes();
        header.as_old_mut().name[..bytes.len()].copy_from_slice(bytes);
        header.set_cksum();
        tar.append(&header, *data).unwrap();
    }
    let raw = tar.into_inner().unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&raw).unwrap();
    gz.finish().unwrap()
}

#[test]
fn archive_paths_are_checked() {
    let chart = b"apiVersion: v2\nname: c\nversion: 1.0.0\n" as &[u8];
    type Entries<'a> = &'a [(&'a str, &'a [u8])];
    let cases: [(Entries, Result<Vec<&str>, &str>); 6] = [
        (
            &[("c/Chart.yaml", chart), ("c/templates/x.yaml", b"x")],
            Ok(vec!["Chart.yaml", "templates/x.yaml"]),
        ),
        (&[("c\\Chart.yaml", chart)], Ok(vec!["Chart.yaml"])),
        (
            &[("c/../../etc/passwd", b"x")],
            Err("chart illegally references parent directory"),
        ),
        (
            &[("c//etc/passwd", b"x")],
            Err("chart illegally contains absolute paths"),
        ),
        (
            &[("Chart.yaml", chart)],
            Err("chart illegally contains content outside the base directory: \"Chart.yaml\""),
        ),
        (
            &[("c/C:/x", b"x")],
            Err("chart contains illegally named files"),
        ),
    ];
    for (entries, want) in cases {
        let got = archive_files(&tgz(entries))
            .map(|fs| fs.into_iter().map(|f| f.name).collect::<Vec<_>>())
            .map_err(|e| e.0);
        let want = want
            .map(|v| v.into_iter().map(str::to_string).collect::<Vec<_>>())
            .map_err(str::to_string);
        assert_eq!(
            got,
            want,
            "entries {:?}",
            entries.iter().map(|e| e.0).collect::<Vec<_>>()
        );
    }
    assert_eq!(
        archive_files(b"this is plainly not a gzip stream")
            .unwrap_err()
            .0,
        "gzip: invalid header"
    );
}

#[test]
fn helmignore_rules_match_as_helm_does() {
    let rules =
        IgnoreRules::parse("# comment\n*.bak\n/rooted.txt\ndocs/\nsub/*.tmp\n!keep.bak\n").unwrap();
    let cases = [
        ("a.bak", false, true),
        ("deep/dir/a.bak", false, true),
        ("rooted.txt", false, true),
        ("deep/rooted.txt", false, true),
        ("docs", true, true),
        ("docs", false, true),
        ("sub/x.tmp", false, true),
        ("other/sub/x.tmp", false, true),
        ("Chart.yaml", false, true),
    ];
    // Helm's negation ignores everything the negated pattern does not match.
    for (path, is_dir, want) in cases {
        assert_eq!(rules.ignore(path, is_dir), want, "path {path:?}");
    }
    let plain = IgnoreRules::parse("*.bak\n/rooted.txt\ndocs/\nsub/*.tmp\n").unwrap();
    let cases = [
        ("a.bak", false, true),
        ("rooted.txt", false, true),
        ("deep/rooted.txt", false, false),
        ("docs", true, true),
        ("docs", false, false),
        ("sub/x.tmp", false, true),
        ("other/sub/x.tmp", false, false),
        ("Chart.yaml", false, false),
        ("", false, false),
    ];
    for (path, is_dir, want) in cases {
        assert_eq!(plain.ignore(path, is_dir), want, "path {path:?}");
    }
    assert_eq!(
        IgnoreRules::parse("a/**/b").unwrap_err(),
        "double-star (**) syntax is not supported"
    );
    let mut defaults = IgnoreRules::default();
    defaults.add_defaults();
    assert!(defaults.ignore("templates/.hidden.yaml", false));
    assert!(!defaults.ignore("templates/visible.yaml", false));
}

#[test]
fn archives_are_bounded_in_file_count() {
    let names: Vec<String> = (0..=MAX_FILES).map(|i| format!("c/f{i}")).collect();
    let mut entries: Vec<(&str, &[u8])> =
        vec![("c/Chart.yaml", b"apiVersion: v2\nname: c\nversion: 1.0.0\n")];
    entries.extend(names.iter().map(|n| (n.as_str(), &b""[..])));
    let e = archive_files(&tgz(&entries)).unwrap_err();
    assert_eq!(
        e.0,
        format!("chart archive has more than the maximum of {MAX_FILES} files")
    );
}

#[cfg(unix)]
#[test]
fn directory_symlinks_stay_inside_the_chart() {
    let dir = tempfile::tempdir().unwrap();
    let outside = dir.path().join("secret.txt");
    std::fs::write(&outside, "top secret").unwrap();
    let c = dir.path().join("c");
    std::fs::create_dir_all(c.join("templates")).unwrap();
    std::fs::write(
        c.join("Chart.yaml"),
        "apiVersion: v2\nname: c\nversion: 1.0.0\n",
    )
    .unwrap();
    std::fs::write(c.join("real.txt"), "inside").unwrap();
    std::os::unix::fs::symlink(c.join("real.txt"), c.join("alias.txt")).unwrap();
    // A directory link back to the chart root must not loop.
    std::os::unix::fs::symlink(&c, c.join("templates/loop")).unwrap();
    let chart = load_dir(&c).unwrap();
    let names: Vec<&str> = chart.files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["alias.txt", "real.txt"]);
    assert_eq!(chart.files[0].data, b"inside");
    std::os::unix::fs::symlink(&outside, c.join("leak.txt")).unwrap();
    let e = load_dir(&c).unwrap_err();
    assert_eq!(
        e.0,
        "chart file \"leak.txt\" is a symlink that points outside the chart directory"
    );
}

#[test]
fn directory_files_are_bounded_in_size() {
    let dir = tempfile::tempdir().unwrap();
    let c = dir.path().join("c");
    std::fs::create_dir_all(&c).unwrap();
    std::fs::write(
        c.join("Chart.yaml"),
        "apiVersion: v2\nname: c\nversion: 1.0.0\n",
    )
    .unwrap();
    std::fs::write(c.join(".helmignore"), "ignored.bin\n").unwrap();
    let big = vec![b'x'; MAX_FILE_SIZE as usize + 1];
    std::fs::write(c.join("ignored.bin"), &big).unwrap();
    assert!(load_dir(&c).is_ok(), "ignored files are never read");
    std::fs::write(c.join("big.bin"), &big).unwrap();
    let e = load_dir(&c).unwrap_err();
    assert_eq!(
        e.0,
        format!("chart file \"big.bin\" is larger than the maximum file size {MAX_FILE_SIZE}")
    );
}

#[test]
fn chart_annotations_keep_go_nil_and_type() {
    // (Chart.yaml tail, toJson of .Chart.Annotations, %#v of it)
    let cases = [
        ("", "null", "map[string]string(nil)"),
        ("annotations: ~\n", "null", "map[string]string(nil)"),
        ("annotations: {}\n", "{}", "map[string]string{}"),
        (
            "annotations: {a: b}\n",
            r#"{"a":"b"}"#,
            r#"map[string]string{"a":"b"}"#,
        ),
    ];
    for (tail, json, go) in cases {
        let c = load_files(vec![chart_yaml(tail)]).expect("chart loads");
        let crate::template::Value::Dict(chart) = c.metadata.to_value(true) else {
            panic!("{tail:?}: .Chart is not a map");
        };
        let a = chart.get("Annotations").expect("Annotations");
        assert_eq!(crate::yaml::to_json(&a).expect("json"), json, "{tail:?}");
        let printed = crate::template::fmt::sprintf("%#v", std::slice::from_ref(&a));
        assert_eq!(printed, go, "{tail:?}");
    }
}
