// Strings of the public shelter view only, Japanese first; the shared ones are in core/messages.ts. English must carry the
// same keys (checked by the type).
import { pageTranslator } from '../core/i18n';
import { coreEn, coreJa, type CoreKey } from '../core/messages';

const ja = {
  publicPageTitle: '高畠町 避難所マップ',
  publicHeading: '避難所マップ',

  notDesignatedLine: '対象外：{list}',
  capacityLine: '収容人数：{value}',

  hazardFilter: '災害の種類で絞り込む',
  'filter.all': 'すべて',
  sitesShown: '{n}か所',
  noSitesForHazard: 'この災害に対応する避難所はありません。',
  notForStaying: '避難場所のみ（滞在用の避難所ではありません）',
  showOnMap: '地図で見る',

  mapKeyOpen: '開設中（混雑度を表示）',
  mapKeyClosed: '閉鎖',
  mapKeyWater: '水位観測所（段階と水位）',
  mapKeyRain: '雨量観測所（60分雨量）',
  mapKeyNoData: '欠測',
  gaugesAbove: '（氾濫注意水位以上 {n}か所）',
  openCount: '（うち開設中 {n}か所）',

  evacBannerLine: '{districts}に {level}',
  evacBannerUnnamed: '{level} が発令されています',

  gaugesPublicTitle: '川の水位と雨量',
  gaugesPublicNote: '町内外の観測所の最新の値です。観測所を選ぶと24時間のグラフを表示します。',

  publicReportsTitle: '通行止め・冠水の情報',
  publicReportsNote: '町の職員が現地から報告し、町が確認した情報です。',
  reportsShown: '{n}件',
  noPublicReports: '現在、町が確認した通行止め・冠水の情報はありません。',
  reportNoDistrict: '町境の付近',
  reportObserved: '現地確認',
  reportUpdated: '更新',
  reportPhotos: '写真',
  reportPhotoAlt: '{title} の写真{n}',
  mapKeyReport: '通行止め・冠水（丸・ひし形・星形は深刻度）',
  // Issue 11: the nearest open shelters, and why a shelter is not suggested.
  'nearest.title': '近くの開設中の避難所',
  'nearest.note': '現在地、地図でタップした地点、または地区から、開設中で空きがあり、いま発生している災害に適した避難所を近い順に表示します。',
  'nearest.useLocation': '現在地から探す',
  'nearest.district': '地区から探す',
  'nearest.chooseDistrict': '地区を選ぶ',
  'nearest.mapHint': '地図の何もない所をタップしても、その地点から探せます。',
  'nearest.idle': '探す場所を選んでください。',
  'nearest.locating': '現在地を確認しています…',
  'nearest.denied': '現在地を取得できませんでした。地区を選ぶか、地図をタップしてください。',
  'nearest.failed': '避難所を探せませんでした。しばらくしてからもう一度お試しください。',
  'nearest.found': '{origin}近い順に{n}か所',
  'nearest.none': '{origin}案内できる開設中の避難所はいまありません。',
  'nearest.fromLocation': '現在地から',
  'nearest.fromMap': '地図の地点から',
  'nearest.fromDistrict': '{district}から',
  'nearest.distance': '直線で {value}',
  'nearest.overCapacity': '（定員超過）',
  'nearest.placeToFlee': '一時的に避難する場所（滞在はできません）',
  notSuggestedLine: '現在の災害では案内していません：{reasons}',
} as const;

type PublicKey = keyof typeof ja;

const en: Record<PublicKey, string> = {
  publicPageTitle: 'Takahata shelter map',
  publicHeading: 'Shelter map',

  notDesignatedLine: 'Not for: {list}',
  capacityLine: 'Capacity: {value}',

  hazardFilter: 'Filter by hazard',
  'filter.all': 'All',
  sitesShown: '{n} sites',
  noSitesForHazard: 'No site is designated for this hazard.',
  notForStaying: 'Evacuation site only (not a shelter for staying)',
  showOnMap: 'Show on map',

  mapKeyOpen: 'Open (with crowding)',
  mapKeyClosed: 'Closed',
  mapKeyWater: 'Water-level gauge (stage and level)',
  mapKeyRain: 'Rain gauge (60-minute rain)',
  mapKeyNoData: 'No data',
  gaugesAbove: ' ({n} at flood caution level or above)',
  openCount: ' ({n} open now)',

  evacBannerLine: '{level} for {districts}',
  evacBannerUnnamed: '{level} has been issued',

  gaugesPublicTitle: 'River levels and rain',
  gaugesPublicNote: 'Latest values of the gauges in and around the town. Choose one for its 24-hour chart.',

  publicReportsTitle: 'Road closures and flooding',
  publicReportsNote: 'Reported by town staff on the ground and verified by the town.',
  reportsShown: '{n}',
  noPublicReports: 'No road closure or flooding verified by the town at the moment.',
  reportNoDistrict: 'Near the town boundary',
  reportObserved: 'Observed',
  reportUpdated: 'updated',
  reportPhotos: 'Photos',
  reportPhotoAlt: 'Photo {n} of {title}',
  mapKeyReport: 'Road closed or flooding (circle, diamond, star: severity)',
  // Issue 11: the nearest open shelters, and why a shelter is not suggested.
  'nearest.title': 'Nearest open shelters',
  'nearest.note': 'From your location, a point you tap on the map, or a district: the nearest open shelters with space that suit the hazards happening now.',
  'nearest.useLocation': 'Use my location',
  'nearest.district': 'Or a district',
  'nearest.chooseDistrict': 'Choose a district',
  'nearest.mapHint': 'You can also tap an empty spot on the map to search from there.',
  'nearest.idle': 'Choose where to search from.',
  'nearest.locating': 'Finding your location…',
  'nearest.denied': 'Your location is not available. Choose a district or tap the map.',
  'nearest.failed': 'The shelters could not be searched. Please try again shortly.',
  'nearest.found': '{n} found {origin}, nearest first',
  'nearest.none': 'No open shelter can be suggested {origin} right now.',
  'nearest.fromLocation': 'from your location',
  'nearest.fromMap': 'from the point on the map',
  'nearest.fromDistrict': 'from {district}',
  'nearest.distance': '{value} in a straight line',
  'nearest.overCapacity': ' (over capacity)',
  'nearest.placeToFlee': 'A place to flee to for a while (you cannot stay there)',
  notSuggestedLine: 'Not suggested for the current hazards: {reasons}',
};

export type MessageKey = CoreKey | PublicKey;

/** A message of this page or of the core, in the current language. */
export const { t, tOr } = pageTranslator<MessageKey>({ ja: { ...coreJa, ...ja }, en: { ...coreEn, ...en } });
