#!/usr/bin/env bash
# Builds the Linux app image and .deb with jpackage (JDK 17). Called by `mvn -Ppackage` (packaging/pom.xml)
# with the staged jars; runnable by hand with the same arguments.
#   make-installers.sh INPUT_DIR ICON_PNG VERSION DEST_DIR REPO_ROOT
set -euo pipefail
input="$1" icon="$2" version="${3%%-*}" dest="$4" root="$5"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
jpackage="${JAVA_HOME:+$JAVA_HOME/bin/}jpackage"
nice_="nice -n ${MRW_PACKAGE_NICE:-0}"   # the build machine is shared: mvn -Ppackage -Dmrw.package.nice=15

for f in "$root/models/zoo.json" "$root/agent/target/agent-dist/manifest.json"; do
  [ -f "$f" ] || { echo "make-installers: $f is missing (the zoo is committed; the agent bundle comes from mvn package)" >&2; exit 1; }
done
command -v fakeroot >/dev/null || {
  echo "make-installers: jpackage needs fakeroot for a .deb: apt-get install fakeroot" >&2; exit 1; }

rm -rf "$dest/image" "$dest"/*.deb "$dest/resources"
mkdir -p "$dest/resources"
# jpackage takes the desktop entry and icon from the resource dir when named after the package
cp "$here/mrw.desktop" "$dest/resources/mrw.desktop"
cp "$here/mrw-cli.desktop" "$dest/resources/mrw-cli.desktop"
cp "$icon" "$dest/resources/mrw.png"

# The JVM options ./mrw passes. $APPDIR is the installed lib/app folder, where the zoo and the agent
# bundle are copied below. mrw.onednn.relaunch: the launcher reruns itself with DNNL_MAX_CPU_ISA set (Engines.ONEDNN_ISA)
# (jpackage launchers cannot set environment variables; see OneDnnRelaunch).
opts=(-Dai.djl.offline=true -DOPT_OUT_TRACKING=true -Xss4m '-Dmrw.home=$APPDIR'
      '-Dmrw.agent.dist=$APPDIR/agent-dist' -Dmrw.onednn.relaunch=true)
common=(--name mrw --app-version "$version" --vendor "Mobile Robustness Workbench"
        --description "Compare how models on PC and phones hold up against adversarial examples")

start=$(date +%s)
# Keep bin/java in the runtime (no --strip-native-commands): the host device runs its agent with it.
$nice_ "$jpackage" --type app-image "${common[@]}" --dest "$dest/image" \
  --input "$input" --main-jar "$(cd "$input" && ls mrw-app-*.jar)" --main-class org.mrw.app.Launcher \
  --icon "$icon" --java-options "${opts[*]}" \
  --add-launcher "mrw-cli=$here/mrw-cli.properties" \
  --jlink-options "--strip-debug --no-man-pages --no-header-files"
app="$dest/image/mrw/lib/app"
# Data after the image: in --input, agent.jar would land on the app's class path.
cp -r "$root/models" "$app/models"
rm -rf "$app/models/build" "$app/models/recipe/__pycache__"
cp -r "$root/agent/target/agent-dist" "$app/agent-dist"
echo "make-installers: app image $(du -sh "$dest/image/mrw" | cut -f1) in $(( $(date +%s) - start )) s" >&2

start=$(date +%s)
# dpkg-deb's default xz took over 15 minutes on 2 busy cores for ~780 MB that is mostly zipped jars and
# gains little on them; gzip took about 2 minutes there (export DPKG_DEB_COMPRESSOR_TYPE=xz for the smaller file).
export DPKG_DEB_COMPRESSOR_TYPE="${DPKG_DEB_COMPRESSOR_TYPE:-gzip}"
$nice_ "$jpackage" --type deb "${common[@]}" --dest "$dest" --app-image "$dest/image/mrw" \
  --resource-dir "$dest/resources" --linux-shortcut --linux-menu-group "Science;Education" \
  --linux-package-deps libgtk-3-0 --linux-app-category science
echo "make-installers: $(ls "$dest"/*.deb) $(du -h "$dest"/*.deb | cut -f1) in $(( $(date +%s) - start )) s" >&2
