// Every UI string of both pages, Japanese first. English must carry the same keys (checked by the type).

const ja = {
  appName: '防災GIS 高畠町',
  hqPageTitle: '防災GIS 高畠町 — 本部地図',
  publicPageTitle: '高畠町 避難所マップ',
  publicHeading: '避難所マップ',
  language: '表示言語',
  mapLabel: '地図（矢印キーで移動、＋／−で拡大縮小）',
  loading: '読み込み中',
  loadFailed: '読み込めませんでした',
  basemapUnavailable: '背景地図を表示できません。地図データのみ表示しています。',
  attributionShelters: '避難所データ 出典：国土地理院',

  'layer.boundary': '町境界',
  'layer.districts': '地区',
  'layer.rivers': '河川',
  'layer.flood-zones': '浸水想定区域',
  'layer.landslide-zones': '土砂災害警戒区域',
  'layer.stations': '観測所',
  'layer.shelters': '避難所',

  panelsLabel: '地図の表示設定',
  layersTitle: 'レイヤー',
  legendTitle: '凡例',
  legendWaterGauge: '水位観測所（◆）',
  legendRainGauge: '雨量観測所（●）',
  legendIllustrative: '破線・斜線は想定（イラスト）データ',
  legendHollow: '白抜き記号は想定データまたは位置が概略',

  userRole: '権限',
  'role.hq': '本部',
  'role.admin': '管理者',
  'role.staff': '職員',
  logout: 'ログアウト',

  close: '閉じる',
  detailsTitle: '詳細',
  yes: 'はい',
  no: 'いいえ',
  address: '住所',
  hazards: '対象とする災害',
  notDesignatedFor: '対象外',
  notDesignatedLine: '対象外：{list}',
  capacityLine: '収容人数：{value}',
  evacuationShelter: '指定避難所',
  emergencySite: '指定緊急避難場所',
  capacity: '収容人数',
  capacityUnknown: '不明',
  people: '人',
  assumed: '（想定）',
  assumedValues: '（想定値）',
  source: '出典',
  note: '備考',
  illustrativeNote: 'この地物は想定（イラスト）データです。実際の区域・位置ではありません。',
  locationApproximate: '位置は概略です。',
  metres: 'm',

  'hazard.flood': '洪水',
  'hazard.landslide': '土砂災害',
  'hazard.earthquake': '地震',

  stationKind: '種別',
  'stationKind.water_level': '水位観測所',
  'stationKind.rain': '雨量観測所',
  gaugeType: '観測機器',
  'gaugeType.standard': '水位計',
  'gaugeType.crisis': '危機管理型水位計',
  'gaugeType.amedas': 'アメダス',
  river: '河川',
  'threshold.standby': '水防団待機水位',
  'threshold.caution': '氾濫注意水位',
  'threshold.evacuation': '避難判断水位',
  'threshold.danger': '氾濫危険水位',
  'threshold.observation_start': '観測開始水位',
  depthRank: '浸水深',
  zoneType: '区域区分',
  phenomenon: '現象',
  riverClass: '河川区分',

  shelterListTitle: '避難所一覧',
  hazardFilter: '災害の種類で絞り込む',
  'filter.all': 'すべて',
  openingStatusNotice: '開設状況はまだ配信されていません',
  openingStatusAdvice: '避難する前に、町の防災無線やホームページで開設状況を確認してください。',
  sitesShown: '{n}か所',
  noSitesForHazard: 'この災害に対応する避難所はありません。',
  notForStaying: '避難場所のみ（滞在用の避難所ではありません）',
  showOnMap: '地図で見る',
} as const;

export type MessageKey = keyof typeof ja;
type Messages = Record<MessageKey, string>;

const en: Messages = {
  appName: 'Bousai — Takahata',
  hqPageTitle: 'Bousai — Takahata: HQ map',
  publicPageTitle: 'Takahata shelter map',
  publicHeading: 'Shelter map',
  language: 'Language',
  mapLabel: 'Map (arrow keys to pan, + / − to zoom)',
  loading: 'loading',
  loadFailed: 'could not be loaded',
  basemapUnavailable: 'Background map unavailable. Showing map data only.',
  attributionShelters: 'Shelter data 出典：国土地理院 (GSI Japan)',

  'layer.boundary': 'Town boundary',
  'layer.districts': 'Districts',
  'layer.rivers': 'Rivers',
  'layer.flood-zones': 'Flood inundation zones',
  'layer.landslide-zones': 'Landslide warning zones',
  'layer.stations': 'Gauges',
  'layer.shelters': 'Shelters',

  panelsLabel: 'Map display settings',
  layersTitle: 'Layers',
  legendTitle: 'Legend',
  legendWaterGauge: 'Water-level gauge (◆)',
  legendRainGauge: 'Rain gauge (●)',
  legendIllustrative: 'Dashed / hatched = illustrative data',
  legendHollow: 'Hollow symbol = illustrative or approximate position',

  userRole: 'Role',
  'role.hq': 'HQ',
  'role.admin': 'Administrator',
  'role.staff': 'Staff',
  logout: 'Sign out',

  close: 'Close',
  detailsTitle: 'Details',
  yes: 'Yes',
  no: 'No',
  address: 'Address',
  hazards: 'Designated for',
  notDesignatedFor: 'Not for',
  notDesignatedLine: 'Not for: {list}',
  capacityLine: 'Capacity: {value}',
  evacuationShelter: 'Designated shelter (指定避難所)',
  emergencySite: 'Designated emergency evacuation site',
  capacity: 'Capacity',
  capacityUnknown: 'unknown',
  people: 'people',
  assumed: ' (assumed)',
  assumedValues: ' (assumed value)',
  source: 'Source',
  note: 'Note',
  illustrativeNote: 'This feature is illustrative data, not an official zone or position.',
  locationApproximate: 'Location is approximate.',
  metres: 'm',

  'hazard.flood': 'Flood',
  'hazard.landslide': 'Landslide',
  'hazard.earthquake': 'Earthquake',

  stationKind: 'Type',
  'stationKind.water_level': 'Water-level gauge',
  'stationKind.rain': 'Rain gauge',
  gaugeType: 'Instrument',
  'gaugeType.standard': 'Water-level gauge',
  'gaugeType.crisis': 'Crisis-management gauge',
  'gaugeType.amedas': 'AMeDAS',
  river: 'River',
  'threshold.standby': 'Standby level (水防団待機水位)',
  'threshold.caution': 'Flood caution level (氾濫注意水位)',
  'threshold.evacuation': 'Evacuation decision level (避難判断水位)',
  'threshold.danger': 'Flood danger level (氾濫危険水位)',
  'threshold.observation_start': 'Observation start level (観測開始水位)',
  depthRank: 'Depth',
  zoneType: 'Zone type',
  phenomenon: 'Phenomenon',
  riverClass: 'River class',

  shelterListTitle: 'Shelter list',
  hazardFilter: 'Filter by hazard',
  'filter.all': 'All',
  openingStatusNotice: 'Opening status not yet available',
  openingStatusAdvice: 'Before you go, check the town’s announcements (radio, website) for which shelters are open.',
  sitesShown: '{n} sites',
  noSitesForHazard: 'No site is designated for this hazard.',
  notForStaying: 'Evacuation site only (not a shelter for staying)',
  showOnMap: 'Show on map',
};

export type Lang = 'ja' | 'en';

const messages: Record<Lang, Messages> = { ja, en };
// A cookie rather than localStorage: the server-rendered login page reads the same choice.
const cookieName = 'bousai.lang';
const listeners: Array<(lang: Lang) => void> = [];

function storedLang(): Lang {
  const value = document.cookie.split('; ').find((c) => c.startsWith(`${cookieName}=`))?.slice(cookieName.length + 1);
  return value === 'en' ? 'en' : 'ja';
}

let current: Lang = storedLang();

export function lang(): Lang {
  return current;
}

/** Message in the current language; `{name}` placeholders are filled from `values`. */
export function t(key: MessageKey, values: Record<string, string | number> = {}): string {
  return messages[current][key].replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? ''));
}

/** Message for a key built from data (e.g. a hazard code); falls back to the raw value. */
export function tOr(key: string, fallback: string): string {
  return key in ja ? t(key as MessageKey) : fallback;
}

/** Picks the name of a feature in the current language. */
export function localName(props: { name_ja?: string; name_en?: string }): string {
  return (current === 'en' ? props.name_en : props.name_ja) || props.name_ja || props.name_en || '';
}

export function onLangChange(listener: (lang: Lang) => void): void {
  listeners.push(listener);
}

export function setLang(next: Lang): void {
  current = next;
  document.cookie = `${cookieName}=${next}; path=/; max-age=31536000; samesite=lax`;
  applyStaticText(document);
  listeners.forEach((listener) => listener(next));
}

/** Fills every element marked `data-i18n="key"` (text) or `data-i18n-aria="key"` (aria-label). */
export function applyStaticText(root: ParentNode): void {
  document.documentElement.lang = current;
  root.querySelectorAll<HTMLElement>('[data-i18n]').forEach((el) => {
    el.textContent = t(el.dataset.i18n as MessageKey);
  });
  root.querySelectorAll<HTMLElement>('[data-i18n-aria]').forEach((el) => {
    el.setAttribute('aria-label', t(el.dataset.i18nAria as MessageKey));
  });
  const titleKey = document.body.dataset.titleKey as MessageKey | undefined;
  if (titleKey) document.title = t(titleKey);
}

/** Wires the 日本語 / English buttons inside `container`. */
export function mountLanguageSwitch(container: HTMLElement): void {
  const buttons = container.querySelectorAll<HTMLButtonElement>('button[data-lang]');
  const sync = () =>
    buttons.forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.lang === current)));
  buttons.forEach((b) => b.addEventListener('click', () => setLang(b.dataset.lang === 'en' ? 'en' : 'ja')));
  onLangChange(sync);
  sync();
}
