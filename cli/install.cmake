# Installing and packaging: `cmake --install build` and `cpack -G DEB` (run in build/).
# Installs the irlint binary, the rule documentation, a man page and a bash completion script;
# the last two are written by the built binary itself (`irlint __manpage`, `irlint __completion
# bash`), so they list exactly the subcommands, options, rules and targets it has.
include(GNUInstallDirs)

set(IRLINT_GENERATED ${PROJECT_BINARY_DIR}/generated)
add_custom_command(
  OUTPUT ${IRLINT_GENERATED}/irlint.1.gz ${IRLINT_GENERATED}/irlint.bash
  COMMAND ${CMAKE_COMMAND} -E make_directory ${IRLINT_GENERATED}
  COMMAND $<TARGET_FILE:irlint> __manpage > ${IRLINT_GENERATED}/irlint.1
  COMMAND gzip -9nf ${IRLINT_GENERATED}/irlint.1
  COMMAND $<TARGET_FILE:irlint> __completion bash > ${IRLINT_GENERATED}/irlint.bash
  DEPENDS irlint
  COMMENT "Writing irlint's man page and bash completion")
add_custom_target(irlint_manual ALL DEPENDS ${IRLINT_GENERATED}/irlint.1.gz
                                            ${IRLINT_GENERATED}/irlint.bash)

install(TARGETS irlint RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${IRLINT_GENERATED}/irlint.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${IRLINT_GENERATED}/irlint.bash DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
        RENAME irlint)
install(FILES README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY docs/rules DESTINATION ${CMAKE_INSTALL_DOCDIR})

set(CPACK_PACKAGE_NAME irlint)
set(CPACK_PACKAGE_VENDOR "irlint")
set(IRLINT_PACKAGE_CONTACT "irlint maintainers <maintainers@irlint.org>"
    CACHE STRING "The Debian package's Maintainer field: set it to whoever publishes the package")
set(CPACK_PACKAGE_CONTACT "${IRLINT_PACKAGE_CONTACT}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "linter for OpenVINO IR models that predicts how the CPU plugin runs them")
string(CONCAT CPACK_PACKAGE_DESCRIPTION
    "irlint reads OpenVINO IR models (model.xml + model.bin) without running\n"
    "them, predicts how the OpenVINO CPU plugin will execute them for a runtime\n"
    "version and CPU, and reports what will make them slow: unfusable\n"
    "activations, inserted Reorders, depthwise convolutions on slow kernels,\n"
    "INT8 that will not pay off.")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)  # dependencies from the libraries the binary links
set(CPACK_STRIP_FILES ON)
include(CPack)
