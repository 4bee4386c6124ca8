/**
 * Dragging cards with pointer events (mouse, pen and touch alike; HTML5
 * drag and drop does not work on phones). A press that moves more than a
 * few pixels lifts a ghost of the card; releasing it over an element with
 * data-drop reports that target. Cards use touch-action: pan-y, so a
 * vertical swipe still scrolls and a sideways one drags.
 */
export interface DragHandlers {
  onStart(): void;
  onDrop(cardId: number, target: string | null): void;
}

const THRESHOLD_PX = 6;

export function enableDrag(root: HTMLElement, handlers: DragHandlers): void {
  root.addEventListener('pointerdown', (down) => {
    const card = (down.target as HTMLElement).closest<HTMLElement>('[data-card]');
    if (!card || down.button !== 0) return;
    const id = Number(card.dataset.card);
    let ghost: HTMLElement | null = null;
    let over: HTMLElement | null = null;
    const rect = card.getBoundingClientRect();
    const dx = down.clientX - rect.left;
    const dy = down.clientY - rect.top;

    const targetAt = (x: number, y: number) =>
      (document.elementFromPoint(x, y) as HTMLElement | null)?.closest<HTMLElement>('[data-drop]') ?? null;

    const move = (e: PointerEvent) => {
      if (!ghost) {
        if (Math.hypot(e.clientX - down.clientX, e.clientY - down.clientY) < THRESHOLD_PX) return;
        ghost = card.cloneNode(true) as HTMLElement;
        ghost.classList.add('ghost');
        ghost.style.width = `${rect.width}px`;
        document.body.append(ghost);
        card.classList.add('lifted');
        document.body.classList.add('dragging');
        handlers.onStart();
      }
      e.preventDefault();
      ghost.style.transform = `translate(${e.clientX - dx}px, ${e.clientY - dy}px)`;
      const target = targetAt(e.clientX, e.clientY);
      if (target !== over) {
        over?.classList.remove('over');
        target?.classList.add('over');
        over = target;
      }
    };
    const end = (e: PointerEvent) => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', end);
      window.removeEventListener('pointercancel', end);
      if (!ghost) return;
      // Before the drag's classes go: the ❌ Lost zone is only there while dragging.
      const target = e.type === 'pointerup' ? targetAt(e.clientX, e.clientY)?.dataset.drop ?? null : null;
      ghost.remove();
      card.classList.remove('lifted');
      document.body.classList.remove('dragging');
      over?.classList.remove('over');
      handlers.onDrop(id, target);
    };
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', end);
    window.addEventListener('pointercancel', end);
  });
}
