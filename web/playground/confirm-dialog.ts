/**
 * The page's one question box: a modal <dialog> (focus stays inside it, Escape cancels) asked before
 * an action that would throw away work — edits of a file, a running training, a model not downloaded.
 */
export function confirmAction(message: string, yes: string): Promise<boolean> {
  const dialog = document.getElementById('confirm') as HTMLDialogElement;
  const yesButton = document.getElementById('confirm-yes')!;
  const noButton = document.getElementById('confirm-no')!;
  document.getElementById('confirm-text')!.textContent = message;
  yesButton.textContent = yes;
  const before = document.activeElement as HTMLElement | null;
  return new Promise((answer) => {
    const close = (value: boolean) => {
      yesButton.removeEventListener('click', onYes);
      noButton.removeEventListener('click', onNo);
      dialog.removeEventListener('cancel', onNo);
      dialog.close();
      // Back where the user was, never to the page's body.
      before?.focus();
      answer(value);
    };
    const onYes = () => close(true);
    const onNo = (event: Event) => {
      event.preventDefault();
      close(false);
    };
    yesButton.addEventListener('click', onYes);
    noButton.addEventListener('click', onNo);
    dialog.addEventListener('cancel', onNo);
    dialog.showModal();
    noButton.focus();
  });
}
