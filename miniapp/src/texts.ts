/** Every word of the board, in the user's CRM language (en/uk); uk must have every key of en. */
const en = {
  title: 'Board',
  tabs: { leads: 'Leads', deals: 'Deals' },
  stages: { NEW: 'New', CONTACTED: 'Contacted', QUALIFIED: 'Qualified', LOST: 'Lost' } as Record<string, string>,
  dealStages: { NEW: 'New', KYC: 'KYC', AGREEMENT: 'Agreement', PAID: 'Paid', LOST: 'Lost' } as Record<string, string>,
  askAmount: (id: number) => `Deal #${id} goes to Agreement: what is the amount? (e.g. 12500 or 12 500 UAH)`,
  askDealLost: (id: number) => `Why is deal #${id} lost?`,
  lostZone: '❌ Drop here: Lost',
  unassigned: 'unassigned',
  more: (n: number) => `+${n} more`,
  wip: (n: number, limit: number) => `⚠️ ${n} leads in Qualified — over the limit of ${limit}. Move some on before taking more.`,
  filters: { tier: 'Tier', source: 'Source', assignee: 'Assignee', all: 'All', reset: 'Reset' },
  tiers: { HOT: 'HOT', WARM: 'WARM', COLD: 'COLD', DEAD: 'DEAD' } as Record<string, string>,
  sources: {
    WEB: 'Website', REFERRAL: 'Referral', SOCIAL: 'Social media', MANUAL: 'Added by hand', SCANNER: 'Card scanner',
    PARTNER: 'Partner', REGISTRATION: 'Registration', CALLBACK: 'Callback request', LEAD_MAGNET: 'Lead magnet', MESSAGE: 'Message to the bot',
  } as Record<string, string>,
  lostReasons: { no_budget: 'No budget', no_response: 'No response', competitor: 'Chose a competitor', not_fit: 'Not a fit', spam: 'Spam' } as Record<string, string>,
  askLost: (id: number) => `Why is lead #${id} lost?`,
  askRollback: (id: number, min: number) => `Why does lead #${id} go back a stage? (at least ${min} characters)`,
  otherReason: 'Other reason…',
  ok: 'OK',
  cancel: 'Cancel',
  moved: (id: number, stage: string) => `Lead #${id} → ${stage}`,
  dealMoved: (id: number, stage: string) => `Deal #${id} → ${stage}`,
  refused: {
    skip: (stage: string) => `Not allowed: one stage at a time. Expected ${stage}.`,
    backward: 'Going back a stage is a rollback: managers and admins only, with a reason.',
    terminal: 'This lead is closed.',
    same: 'The lead is already there.',
    changed: 'Someone changed this lead meanwhile — the board is up to date now.',
    forbidden: 'You may not do this with this lead.',
    reason: (min: number) => (min > 1 ? `A reason of at least ${min} characters is needed.` : 'A reason is needed.'),
    rate: 'Too many moves: try again later.',
    network: 'No connection to the CRM: the move was not saved.',
    amount: 'That amount could not be read: a number, optionally with a currency.',
    deal: {
      backward: 'Deals only go forward: a mistaken move is put right with ↩️ Undo in the bot.',
      terminal: 'This deal is closed.',
      same: 'The deal is already there.',
      changed: 'Someone changed this deal meanwhile — the board is up to date now.',
      amountRequired: 'Agreement needs the deal\'s amount.',
    },
  },
  auth: 'Open the board from the bot: this link is not signed by Telegram or has expired.',
  noAccess: 'You are not an active user of this CRM.',
  age: (ms: number) => {
    const h = Math.floor(ms / 3_600_000);
    return h < 1 ? 'now' : h < 24 ? `${h} h` : `${Math.floor(h / 24)} d`;
  },
};
export type BoardTexts = typeof en;

const uk: BoardTexts = {
  title: 'Дошка',
  tabs: { leads: 'Ліди', deals: 'Угоди' },
  stages: { NEW: 'Нові', CONTACTED: 'Контакт', QUALIFIED: 'Кваліфіковані', LOST: 'Втрачені' },
  dealStages: { NEW: 'Нові', KYC: 'KYC', AGREEMENT: 'Угода', PAID: 'Оплачено', LOST: 'Втрачені' },
  askAmount: (id) => `Угода #${id} переходить до «Угода»: яка сума? (напр. 12500 або 12 500 UAH)`,
  askDealLost: (id) => `Чому угоду #${id} втрачено?`,
  lostZone: '❌ Сюди: втрачено',
  unassigned: 'без виконавця',
  more: (n) => `ще ${n}`,
  wip: (n, limit) => `⚠️ ${n} лідів у «Кваліфіковані» — більше за ліміт ${limit}. Просуньте частину, перш ніж брати нові.`,
  filters: { tier: 'Якість', source: 'Джерело', assignee: 'Виконавець', all: 'Усі', reset: 'Скинути' },
  tiers: { HOT: 'HOT', WARM: 'WARM', COLD: 'COLD', DEAD: 'DEAD' },
  sources: {
    WEB: 'Сайт', REFERRAL: 'Рекомендація', SOCIAL: 'Соцмережі', MANUAL: 'Додано вручну', SCANNER: 'Сканер візиток',
    PARTNER: 'Партнер', REGISTRATION: 'Реєстрація', CALLBACK: 'Зворотний дзвінок', LEAD_MAGNET: 'Лід-магніт', MESSAGE: 'Повідомлення боту',
  },
  lostReasons: { no_budget: 'Немає бюджету', no_response: 'Не відповідає', competitor: 'Обрав конкурента', not_fit: 'Не підходить', spam: 'Спам' },
  askLost: (id) => `Чому лід #${id} втрачено?`,
  askRollback: (id, min) => `Чому лід #${id} повертається на етап назад? (щонайменше ${min} символів)`,
  otherReason: 'Інша причина…',
  ok: 'Гаразд',
  cancel: 'Скасувати',
  moved: (id, stage) => `Лід #${id} → ${stage}`,
  dealMoved: (id, stage) => `Угода #${id} → ${stage}`,
  refused: {
    skip: (stage) => `Не можна: лише на один етап. Очікується ${stage}.`,
    backward: 'Повернення на етап назад — це відкат: лише менеджери й адміністратори, з причиною.',
    terminal: 'Цей лід закрито.',
    same: 'Лід уже на цьому етапі.',
    changed: 'Хтось змінив цей лід — дошку оновлено.',
    forbidden: 'Вам не можна цього робити з цим лідом.',
    reason: (min) => (min > 1 ? `Потрібна причина щонайменше з ${min} символів.` : 'Потрібна причина.'),
    rate: 'Забагато переміщень: спробуйте пізніше.',
    network: 'Немає зв’язку з CRM: переміщення не збережено.',
    amount: 'Не вдалося прочитати суму: число, можна з валютою.',
    deal: {
      backward: 'Угоди йдуть лише вперед: помилкове переміщення виправляє ↩️ Скасувати в боті.',
      terminal: 'Цю угоду закрито.',
      same: 'Угода вже на цьому етапі.',
      changed: 'Хтось змінив цю угоду — дошку оновлено.',
      amountRequired: 'Для етапу «Угода» потрібна сума.',
    },
  },
  auth: 'Відкрийте дошку з бота: це посилання не підписане Telegram або застаріло.',
  noAccess: 'Ви не активний користувач цієї CRM.',
  age: (ms) => {
    const h = Math.floor(ms / 3_600_000);
    return h < 1 ? 'щойно' : h < 24 ? `${h} год` : `${Math.floor(h / 24)} дн`;
  },
};

export const textsFor = (language: string): BoardTexts => (language === 'uk' ? uk : en);
