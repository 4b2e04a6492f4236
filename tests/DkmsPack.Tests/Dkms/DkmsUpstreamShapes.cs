namespace DkmsPack.Tests.Dkms;

/// <summary>
/// dkms.conf files in the shapes of DKMS's own test fixtures (dkms@HEAD test/dkms_conf_test_* and the module trees
/// run_test.sh adds), written for these tests, with the verdict upstream DKMS's <c>dkms add</c> gives each
/// (run_test.sh's expected output). <see cref="DkmsUpstreamShapeTests"/> checks dkmspack agrees, and
/// <see cref="DkmsAddDifferentialTests"/> asks the installed DKMS itself.
/// </summary>
internal static class DkmsUpstreamShapes
{
    /// <param name="Name">The upstream fixture whose shape this is.</param>
    /// <param name="Text">Our dkms.conf in that shape.</param>
    /// <param name="DkmsAccepts">True when upstream DKMS 3.x's <c>dkms add</c> accepts the file.</param>
    /// <param name="TreeFiles">Files the tree holds besides dkms.conf (path, executable).</param>
    public sealed record Shape(string Name, string Text, bool DkmsAccepts, params (string Path, bool Executable)[] TreeFiles)
    {
        /// <summary>For a shape DKMS rejects: the first release that does (older ones accepted it), or null for every release.</summary>
        public string? RejectedSince { get; init; }

        public override string ToString() => Name;
    }

    public static Shape Named(string name) => All.Single(shape => shape.Name == name);

    public static readonly Shape[] All =
    [
        new("dkms_conf_test_empty", "", DkmsAccepts: false),
        new("dkms_conf_test_invalid", """
            PACKAGE_NAME="shape_invalid"
            PACKAGE_VERSION="2.0"
            DEST_MODULE_NAME[0]="alpha.ko"
            DEST_MODULE_LOCATION="/not/allowed"
            BUILT_MODULE_NAME[1]="beta.o"
            DEST_MODULE_NAME[1]="gamma"
            AUTOINSTALL="perhaps"

            """, DkmsAccepts: false),
        new("dkms_conf_test_zero_modules", """
            PACKAGE_NAME="shape_zero"
            PACKAGE_VERSION="2.0"
            AUTOINSTALL="yes"

            """, DkmsAccepts: true, ("Makefile", false)),
        new("dkms_conf_test_defaulted_BUILT_MODULE_NAME", """
            PACKAGE_NAME="shape_defaulted"
            PACKAGE_VERSION="2.0"
            DEST_MODULE_LOCATION[0]="/updates"

            """, DkmsAccepts: true),
        new("dkms_conf_test_sparse_arrays", """
            PACKAGE_NAME="shape_sparse"
            PACKAGE_VERSION="2.0"
            BUILT_MODULE_NAME[1]="sparse_one"
            DEST_MODULE_LOCATION[1]="/extra"
            BUILT_MODULE_NAME[3]="sparse_three"
            DEST_MODULE_LOCATION[3]="/extra"
            DEST_MODULE_LOCATION[4]="/elsewhere"

            """, DkmsAccepts: false),
        new("dkms_conf_test_patch_missing", """
            PACKAGE_NAME="shape_patch"
            PACKAGE_VERSION="2.0"
            BUILT_MODULE_NAME[0]="shape_patch"
            DEST_MODULE_LOCATION[0]="/extra"
            AUTOINSTALL="yes"
            PATCH="absent.patch"

            """, DkmsAccepts: true),
        new("dkms_conf_test_patch_badpath1", """
            PACKAGE_NAME="shape_patch_up"
            PACKAGE_VERSION="2.0"
            BUILT_MODULE_NAME[0]="shape_patch_up"
            DEST_MODULE_LOCATION[0]="/extra"
            AUTOINSTALL="yes"
            PATCH="../outside.patch"

            """, DkmsAccepts: true, ("outside.patch", false), ("patches/fine.patch", false)),
        new("dkms_conf_test_patch_badpath2", """
            PACKAGE_NAME="shape_patch_down_up"
            PACKAGE_VERSION="2.0"
            BUILT_MODULE_NAME[0]="shape_patch_down_up"
            DEST_MODULE_LOCATION[0]="/extra"
            AUTOINSTALL="yes"
            PATCH="inner/../outside.patch"

            """, DkmsAccepts: true, ("patches/outside.patch", false), ("patches/inner/fine.patch", false)),
        new("dkms_duplicate_test", """
            PACKAGE_NAME="shape_twice"
            PACKAGE_VERSION="2.0"
            BUILT_MODULE_NAME[0]="shape_twice"
            DEST_MODULE_LOCATION[0]="/extra"
            BUILT_MODULE_NAME[1]="shape_twice"
            DEST_MODULE_LOCATION[1]="/extra"
            AUTOINSTALL="yes"

            """, DkmsAccepts: false) { RejectedSince = "3.1.7" },
        new("dkms_duplicate_built_test", """
            PACKAGE_NAME="shape_built_twice"
            PACKAGE_VERSION="2.0"
            AUTOINSTALL="yes"
            BUILT_MODULE_NAME[0]="shape_built"
            DEST_MODULE_NAME[0]="shape_first"
            DEST_MODULE_LOCATION[0]="/extra"
            BUILT_MODULE_NAME[1]="shape_built"
            DEST_MODULE_NAME[1]="shape_second"
            DEST_MODULE_LOCATION[1]="/extra"

            """, DkmsAccepts: false) { RejectedSince = "3.1.7" },
        new("dkms_duplicate_dest_test", """
            PACKAGE_NAME="shape_dest_twice"
            PACKAGE_VERSION="2.0"
            AUTOINSTALL="yes"
            BUILT_MODULE_NAME[0]="shape_first"
            DEST_MODULE_NAME[0]="shape_dest"
            DEST_MODULE_LOCATION[0]="/extra"
            BUILT_MODULE_NAME[1]="shape_second"
            DEST_MODULE_NAME[1]="shape_dest"
            DEST_MODULE_LOCATION[1]="/extra"

            """, DkmsAccepts: false) { RejectedSince = "3.1.7" },
        new("dkms_crlf_test", "PACKAGE_NAME=\"shape_crlf\"\r\nPACKAGE_VERSION=\"2.0\"\r\nBUILT_MODULE_NAME[0]=\"shape_crlf\"\r\nDEST_MODULE_LOCATION[0]=\"/extra\"\r\nAUTOINSTALL=\"yes\"\r\n", DkmsAccepts: true),
        new("dkms_deprecated_test", """
            PACKAGE_NAME="shape_deprecated"
            PACKAGE_VERSION="2.0"
            BUILT_MODULE_NAME[0]="shape_deprecated"
            DEST_MODULE_LOCATION[0]="/extra"
            AUTOINSTALL="yes"
            REMAKE_INITRD="yes"
            CLEAN="true"
            OBSOLETE_BY=42.0

            """, DkmsAccepts: true),
        new("dkms_emptyver_test", """
            PACKAGE_NAME="shape_posix"
            PACKAGE_VERSION="2.0"
            # scalars, no array notation
            BUILT_MODULE_NAME="shape_posix"
            DEST_MODULE_LOCATION="/extra"
            AUTOINSTALL="yes"

            """, DkmsAccepts: true),
        new("dkms_scripts_test", """
            PACKAGE_NAME="shape_scripts"
            PACKAGE_VERSION="2.0"
            BUILT_MODULE_NAME[0]="shape_scripts"
            DEST_MODULE_LOCATION[0]="/extra"
            AUTOINSTALL="yes"
            POST_ADD="hook.sh post_add"
            PRE_BUILD="hook.sh pre_build"
            POST_BUILD="hook.sh post_build"
            PRE_INSTALL="hook.sh pre_install"
            POST_INSTALL="hook.sh post_install"
            POST_REMOVE="hook.sh post_remove"

            """, DkmsAccepts: true, ("hook.sh", true)),
        new("dkms_noisy_test", """
            PACKAGE_NAME="shape_noisy"
            PACKAGE_VERSION="2.0"
            BUILT_MODULE_NAME[0]="shape_noisy"
            DEST_MODULE_LOCATION[0]="/extra"
            AUTOINSTALL="yes"
            PATCH=(second.patch first.patch)

            """, DkmsAccepts: true, ("patches/first.patch", false), ("patches/second.patch", false)),
        new("dkms_noautoinstall_test", """
            PACKAGE_NAME="shape_manual"
            PACKAGE_VERSION="2.0"
            BUILT_MODULE_NAME[0]="shape_manual"
            DEST_MODULE_LOCATION[0]="/extra"

            """, DkmsAccepts: true),
        new("dkms_build_exclusive_test", """
            PACKAGE_NAME="shape_exclusive"
            PACKAGE_VERSION="2.0"
            BUILT_MODULE_NAME[0]="shape_exclusive"
            DEST_MODULE_LOCATION[0]="/extra"
            BUILD_EXCLUSIVE_ARCH="no-such-arch"
            AUTOINSTALL="yes"

            """, DkmsAccepts: true),
        new("dkms_dependencies_test", """
            PACKAGE_NAME="shape_dependent"
            PACKAGE_VERSION="2.0"
            BUILD_DEPENDS="shape_base"
            BUILT_MODULE_NAME[0]="shape_dependent"
            DEST_MODULE_LOCATION[0]="/extra"
            AUTOINSTALL="yes"

            """, DkmsAccepts: true),
        new("dkms_per_module_config_exclusive_test", """
            PACKAGE_NAME="shape_per_module"
            PACKAGE_VERSION="2.0"
            BUILT_MODULE_NAME[0]="shape_per_module_a"
            BUILT_MODULE_NAME[1]="shape_per_module_b"
            DEST_MODULE_LOCATION[0]="/updates/dkms"
            DEST_MODULE_LOCATION[1]="/updates/dkms"
            BUILD_EXCLUSIVE_CONFIG[0]="CONFIG_MODULES"
            BUILD_EXCLUSIVE_CONFIG[1]="!CONFIG_MODULES"
            AUTOINSTALL="yes"

            """, DkmsAccepts: true),
        new("dkms_per_module_kernel_version_test", """
            PACKAGE_NAME="shape_per_kernel"
            PACKAGE_VERSION="2.0"
            BUILT_MODULE_NAME[0]="shape_per_kernel_old"
            BUILT_MODULE_NAME[1]="shape_per_kernel_new"
            DEST_MODULE_LOCATION[0]="/updates/dkms"
            DEST_MODULE_LOCATION[1]="/updates/dkms"
            BUILD_EXCLUSIVE_KERNEL_MAX[0]="3.99"
            BUILD_EXCLUSIVE_KERNEL_MIN[1]="5.0"
            AUTOINSTALL="yes"

            """, DkmsAccepts: true),
    ];
}
