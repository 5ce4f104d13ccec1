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
  legendHollow: '破線の白抜き記号は想定データまたは位置が概略',

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
  openingStatusAdvice: '町の防災無線やホームページでも確認してください。',
  sitesShown: '{n}か所',
  noSitesForHazard: 'この災害に対応する避難所はありません。',
  notForStaying: '避難場所のみ（滞在用の避難所ではありません）',
  showOnMap: '地図で見る',

  'live.connecting': '接続中…',
  'live.live': 'ライブ更新中',
  'live.reconnecting': '再接続中…',
  'live.offline': '{time}からオフライン',
  liveStale: '表示は最新ではない可能性があります。',
  liveTitle: '現在の状況',

  'crowding.closed': '閉鎖',
  'crowding.available': '空いています',
  'crowding.somewhat_crowded': 'やや混雑',
  'crowding.crowded': '混雑',
  'crowding.full': '満',
  'crowding.unknown': '混雑状況 不明',
  shelterOpenNow: '開設中',
  closedSuffix: '（閉鎖）',
  mapKeyOpen: '開設中（混雑度を表示）',
  mapKeyClosed: '閉鎖',
  openingStatusUnknown: '開設状況 不明',
  openingStatus: '開設状況',
  headCount: '避難者数',
  headCountValue: '{count}人',
  headCountOfCapacity: '{count}人／{capacity}人',
  updatedAt: '更新',
  updatedBy: '更新者',
  openCount: '（うち開設中 {n}か所）',

  evacuationLevel: '警戒レベル',
  'evacLevel.3': '高齢者等避難',
  'evacLevel.4': '避難指示',
  'evacLevel.5': '緊急安全確保',
  'evacLevelShort.3': '高齢者等避難',
  'evacLevelShort.4': '避難指示',
  'evacLevelShort.5': '緊急安全確保',
  evacLevelNumber: '警戒レベル{level}',
  evacLevelNone: '発令なし',
  'evacAction.3': '危険な場所から高齢者等は避難',
  'evacAction.4': '危険な場所から全員避難',
  'evacAction.5': '命の危険 直ちに安全確保！',
  evacBannerLine: '{districts}に {level}',
  evacBannerUnnamed: '{level} が発令されています',
  listSeparator: '・',
  issuedAt: '発令時刻',
  decidedBy: '決定者',

  'layer.reports': '現地報告',
  'reportCategory.flooding': '冠水',
  'reportCategory.landslide': '土砂崩れ',
  'reportCategory.road_blocked': '通行止め',
  'reportCategory.building_damage': '建物被害',
  'reportCategory.rescue_needed': '要救助',
  'reportCategory.other': 'その他',
  'reportStatus.new': '未対応',
  'reportStatus.in_progress': '対応中',
  'reportStatus.resolved': '解決済み',
  reportVerified: '確認済み',
  reportUnverified: '未確認',
  reportTitle: '現地報告 #{id} {category}',
  reportCategory: '種類',
  reportStatus: '対応状況',
  reportVerification: '確認',
  reportedAt: '報告時刻',
  reportedBy: '報告者',
  reportDescription: '内容',
  internalNote: '内部メモ',

  legendShelterOpen: '開設中の避難所（混雑度を文字で表示）',
  legendShelterClosed: '閉鎖中の避難所（灰色の白抜き）',
  legendLevel: '警戒レベル{level} {name}の地区',
  legendReportVerified: '現地報告（確認済み）',
  legendReportUnverified: '現地報告（未確認・白抜き）',

  activityTitle: '最新の動き',
  activityEmpty: 'まだ動きはありません。',
  activityWaiting: '状況を受信しています…',
  'activity.shelterOpened': '避難所 {name} 開設（{count}人・{band}）',
  'activity.shelterOpenNow': '避難所 {name} 開設中（{count}人・{band}）',
  'activity.shelterUpdated': '避難所 {name} {count}人・{band}',
  'activity.shelterClosed': '避難所 {name} 閉鎖',
  'activity.levelIssued': '{district} 警戒レベル{level} {levelName} 発令',
  'activity.levelRaised': '{district} 警戒レベル{level} {levelName} 発令（レベル{previous}から引き上げ）',
  'activity.levelLowered': '{district} 警戒レベル{level} {levelName} に引き下げ（レベル{previous}から）',
  'activity.levelLifted': '{district} 警戒レベル{previous} {previousName} 解除',
  'activity.reportSubmitted': '現地報告 #{id} {category}（{verified}）',
  'activity.reportUpdated': '現地報告 #{id} {category} 更新：{verified}・{status}',
  'activity.reportWithdrawn': '現地報告 #{id} 公開を取り下げ',
  'activity.alertRaised': 'アラート 発報: {message}',
  'activity.alertRaisedLevel': 'アラート 発報（レベル{level}）: {message}',
  'activity.alertAcknowledged': 'アラート 確認: {message}',
  'activity.alertCleared': 'アラート 解除: {message}',
  'activity.decidedBy': '決定：{who}／入力：{by}',
  alertFallback: 'アラート #{id}',

  alertsTitle: '対応中のアラート',
  alertsNone: '対応中のアラートはありません。',
  alertsCount: '{n}件',
  'alertStatus.raised': '未確認',
  'alertStatus.acknowledged': '確認済み',
  'alertStatus.cleared': '解除',
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
  legendHollow: 'Hollow with dashed rim = illustrative or approximate position',

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
  openingStatusAdvice: 'Also check the town’s announcements (radio, website).',
  sitesShown: '{n} sites',
  noSitesForHazard: 'No site is designated for this hazard.',
  notForStaying: 'Evacuation site only (not a shelter for staying)',
  showOnMap: 'Show on map',

  'live.connecting': 'Connecting…',
  'live.live': 'Live',
  'live.reconnecting': 'Reconnecting…',
  'live.offline': 'Offline since {time}',
  liveStale: 'What is shown may be out of date.',
  liveTitle: 'Current situation',

  'crowding.closed': 'Closed',
  'crowding.available': 'Space available',
  'crowding.somewhat_crowded': 'Somewhat crowded',
  'crowding.crowded': 'Crowded',
  'crowding.full': 'Full',
  'crowding.unknown': 'Crowding unknown',
  shelterOpenNow: 'Open now',
  closedSuffix: ' (closed)',
  mapKeyOpen: 'Open (with crowding)',
  mapKeyClosed: 'Closed',
  openingStatusUnknown: 'Opening status unknown',
  openingStatus: 'Status',
  headCount: 'People in shelter',
  headCountValue: '{count}',
  headCountOfCapacity: '{count} / {capacity}',
  updatedAt: 'Updated',
  updatedBy: 'Updated by',
  openCount: ' ({n} open now)',

  evacuationLevel: 'Alert level (警戒レベル)',
  'evacLevel.3': 'Evacuation of elderly people, etc. (高齢者等避難)',
  'evacLevel.4': 'Evacuation instruction (避難指示)',
  'evacLevel.5': 'Emergency safety measures (緊急安全確保)',
  'evacLevelShort.3': 'Elderly evacuation',
  'evacLevelShort.4': 'Evacuation instruction',
  'evacLevelShort.5': 'Emergency safety measures',
  evacLevelNumber: 'Alert level {level}',
  evacLevelNone: 'None issued',
  'evacAction.3': 'Older people and those who need help: leave dangerous places now.',
  'evacAction.4': 'Everyone: leave dangerous places now.',
  'evacAction.5': 'Danger to life: secure your safety immediately!',
  evacBannerLine: '{level} for {districts}',
  evacBannerUnnamed: '{level} has been issued',
  listSeparator: ', ',
  issuedAt: 'Issued at',
  decidedBy: 'Decided by',

  'layer.reports': 'Field reports',
  'reportCategory.flooding': 'Flooding',
  'reportCategory.landslide': 'Landslide',
  'reportCategory.road_blocked': 'Road blocked',
  'reportCategory.building_damage': 'Building damage',
  'reportCategory.rescue_needed': 'Rescue needed',
  'reportCategory.other': 'Other',
  'reportStatus.new': 'new',
  'reportStatus.in_progress': 'in progress',
  'reportStatus.resolved': 'resolved',
  reportVerified: 'verified',
  reportUnverified: 'unverified',
  reportTitle: 'Field report #{id}: {category}',
  reportCategory: 'Category',
  reportStatus: 'Handling',
  reportVerification: 'Verification',
  reportedAt: 'Reported at',
  reportedBy: 'Reported by',
  reportDescription: 'Description',
  internalNote: 'Internal note',

  legendShelterOpen: 'Open shelter (crowding in words)',
  legendShelterClosed: 'Closed shelter (grey, hollow)',
  legendLevel: 'District at alert level {level}: {name}',
  legendReportVerified: 'Field report (verified)',
  legendReportUnverified: 'Field report (unverified, hollow)',

  activityTitle: 'Latest activity',
  activityEmpty: 'Nothing has happened yet.',
  activityWaiting: 'Receiving the situation…',
  'activity.shelterOpened': 'Shelter {name} opened ({count} people, {band})',
  'activity.shelterOpenNow': 'Shelter {name} open ({count} people, {band})',
  'activity.shelterUpdated': 'Shelter {name}: {count} people, {band}',
  'activity.shelterClosed': 'Shelter {name} closed',
  'activity.levelIssued': '{district}: alert level {level} {levelName} issued',
  'activity.levelRaised': '{district}: alert level {level} {levelName} issued (raised from level {previous})',
  'activity.levelLowered': '{district}: lowered to alert level {level} {levelName} (from level {previous})',
  'activity.levelLifted': '{district}: alert level {previous} {previousName} lifted',
  'activity.reportSubmitted': 'Field report #{id} {category} ({verified})',
  'activity.reportUpdated': 'Field report #{id} {category} updated: {verified}, {status}',
  'activity.reportWithdrawn': 'Field report #{id} withdrawn from the public map',
  'activity.alertRaised': 'Alert raised: {message}',
  'activity.alertRaisedLevel': 'Alert raised (level {level}): {message}',
  'activity.alertAcknowledged': 'Alert acknowledged: {message}',
  'activity.alertCleared': 'Alert cleared: {message}',
  'activity.decidedBy': 'decided by {who}, entered by {by}',
  alertFallback: 'alert #{id}',

  alertsTitle: 'Active alerts',
  alertsNone: 'No active alerts.',
  alertsCount: '{n}',
  'alertStatus.raised': 'not yet acknowledged',
  'alertStatus.acknowledged': 'acknowledged',
  'alertStatus.cleared': 'cleared',
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
