/**
 * The app's dialogs: Mantine's Modal, centred, its close button named in the reader's language.
 * Its scroll lock writes a `<style>` that carries the page's CSP nonce (App.tsx hands it to
 * `get-nonce`).
 */
import { Modal, type ModalProps } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export function Dialog(props: ModalProps) {
  const { t } = useTranslation('common');
  return <Modal centered closeButtonProps={{ 'aria-label': t('actions.close') }} {...props} />;
}
