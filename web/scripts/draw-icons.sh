#!/usr/bin/env bash
# Draws the public view's PNG icons into web/public/ (which Vite copies to wwwroot): the icons of residents'
# notifications (/notifications/*.png, as the server names them in each push message) and the home-screen app's
# (/icons/*.png, named by the web app manifest). Each is an SVG in an HTML page, rendered by headless Chromium at its
# size. Never colour alone: a level icon carries its number (and the public view's shape for levels 3-5), a shelter
# icon a mark (a tick, a full house, a cross). The PNGs are committed; run this again after changing a drawing:
#   bash web/scripts/draw-icons.sh            (CHROMIUM=/path/to/chromium to use another build)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
out="$here/../public"
chromium=${CHROMIUM:-chromium}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out/notifications" "$out/icons"

# draw FILE SIZE SVG-BODY: the body is drawn in a 100 x 100 box scaled to SIZE px, on a transparent page.
draw() {
  local file=$1 size=$2 body=$3
  local page="$work/$(basename "$file" .png).html"
  cat >"$page" <<HTML
<!doctype html><html><head><meta charset="utf-8"><style>html,body{margin:0;background:transparent}svg{display:block}</style></head>
<body><svg xmlns="http://www.w3.org/2000/svg" width="$size" height="$size" viewBox="0 0 100 100">$body</svg></body></html>
HTML
  "$chromium" --headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
    --default-background-color=00000000 --window-size="$size,$size" --screenshot="$out/$file" "file://$page" >/dev/null 2>&1
  echo "$file"
}

number='font-family="DejaVu Sans, Arial, sans-serif" font-weight="bold" text-anchor="middle"'

# 警戒レベル in the colours of the public view (levelBoard.ts, public.css): 1 white, 2 yellow, 3 red, 4 purple, 5 black;
# the number in black or white, whichever reads on that colour (4.5:1 or better).
level() {
  local n=$1 fill=$2 ink=$3 ring=$4 shape=$5 size=${6:-76} baseline=${7:-80}
  draw "notifications/level-$n.png" 192 "<rect x=\"2\" y=\"2\" width=\"96\" height=\"96\" rx=\"18\" fill=\"$fill\" stroke=\"$ring\" stroke-width=\"4\"/>$shape<text x=\"50\" y=\"$baseline\" font-size=\"$size\" $number fill=\"$ink\">$n</text>"
}
level 1 '#ffffff' '#000000' '#000000' ''
level 2 '#f2e700' '#000000' '#000000' ''
# Levels 3-5 also carry the board's shape as an outline: triangle, diamond, square.
level 3 '#ff2800' '#000000' '#000000' '<polygon points="50,7 94,90 6,90" fill="none" stroke="#000" stroke-width="3"/>' 56 84
level 4 '#aa00aa' '#ffffff' '#ffffff' '<polygon points="50,7 93,50 50,93 7,50" fill="none" stroke="#fff" stroke-width="3"/>'
level 5 '#0c000c' '#ffffff' '#ffffff' '<rect x="12" y="12" width="76" height="76" rx="3" fill="none" stroke="#fff" stroke-width="3"/>'
# Lifted (no level in force): the board's grey circle with a tick.
draw notifications/level-0.png 192 '<rect x="2" y="2" width="96" height="96" rx="18" fill="#ffffff" stroke="#6b6b6b" stroke-width="4"/><circle cx="50" cy="50" r="36" fill="none" stroke="#6b6b6b" stroke-width="7"/><path d="M31 51 L45 65 L70 37" fill="none" stroke="#1a1a1a" stroke-width="10" stroke-linecap="round" stroke-linejoin="round"/>'

# An official warning (公式): the public view's navy with a warning triangle and an exclamation mark.
draw notifications/warning.png 192 '<rect x="2" y="2" width="96" height="96" rx="18" fill="#12355b"/><polygon points="50,12 92,86 8,86" fill="#f2e700" stroke="#fff" stroke-width="4" stroke-linejoin="round"/><rect x="45" y="36" width="10" height="30" rx="3" fill="#000"/><circle cx="50" cy="75" r="6" fill="#000"/>'

# Shelters: a house in the crowding colours of the public view, with a mark that says it without colour.
house='<path d="M50 12 L90 46 L80 46 L80 88 L20 88 L20 46 L10 46 Z" fill="#ffffff"/>'
draw notifications/shelter-open.png 192 "<rect x=\"2\" y=\"2\" width=\"96\" height=\"96\" rx=\"18\" fill=\"#1b7a36\"/>$house<path d=\"M33 63 L45 75 L67 51\" fill=\"none\" stroke=\"#1b7a36\" stroke-width=\"9\" stroke-linecap=\"round\" stroke-linejoin=\"round\"/>"
draw notifications/shelter-full.png 192 "<rect x=\"2\" y=\"2\" width=\"96\" height=\"96\" rx=\"18\" fill=\"#b00020\"/>$house<g fill=\"#b00020\"><circle cx=\"35\" cy=\"55\" r=\"6\"/><circle cx=\"50\" cy=\"55\" r=\"6\"/><circle cx=\"65\" cy=\"55\" r=\"6\"/><rect x=\"29\" y=\"63\" width=\"12\" height=\"19\" rx=\"4\"/><rect x=\"44\" y=\"63\" width=\"12\" height=\"19\" rx=\"4\"/><rect x=\"59\" y=\"63\" width=\"12\" height=\"19\" rx=\"4\"/></g>"
draw notifications/shelter-closed.png 192 "<rect x=\"2\" y=\"2\" width=\"96\" height=\"96\" rx=\"18\" fill=\"#4a4a4a\"/>$house<path d=\"M36 54 L64 82 M64 54 L36 82\" stroke=\"#4a4a4a\" stroke-width=\"9\" stroke-linecap=\"round\"/>"

# The small monochrome badge Android shows in the status bar (only its alpha counts): the house with an exclamation mark.
draw notifications/badge.png 96 '<mask id="m"><rect width="100" height="100" fill="#fff"/><rect x="44" y="42" width="12" height="30" rx="3" fill="#000"/><circle cx="50" cy="82" r="6.5" fill="#000"/></mask><path d="M50 6 L96 46 L84 46 L84 94 L16 94 L16 46 L4 46 Z" fill="#fff" mask="url(#m)"/>'

# The home-screen app: a shelter (a house with a person in it) on the public view's navy. The maskable one fills the
# square and keeps the drawing inside the central 80 % circle that launchers may crop to.
app='<path d="M50 20 L82 47 L74 47 L74 80 L26 80 L26 47 L18 47 Z" fill="#fff"/><circle cx="50" cy="51" r="7" fill="#12355b"/><path d="M39 78 L39 68 Q39 61 46 61 L54 61 Q61 61 61 68 L61 78 Z" fill="#12355b"/>'
for size in 192 512; do
  draw "icons/public-$size.png" $size "<rect x=\"0\" y=\"0\" width=\"100\" height=\"100\" rx=\"20\" fill=\"#12355b\"/>$app"
done
draw icons/public-maskable-512.png 512 "<rect width=\"100\" height=\"100\" fill=\"#12355b\"/><g transform=\"translate(50 50) scale(0.8) translate(-50 -50)\">$app</g>"
# iOS rounds the corners itself and shows transparency as black: a full square.
draw icons/apple-touch-icon.png 180 "<rect width=\"100\" height=\"100\" fill=\"#12355b\"/>$app"
