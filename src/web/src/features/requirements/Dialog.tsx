/**
 * The feature's dialogs: Mantine's Modal, centred, its close button named, without its scroll
 * lock — the lock (react-remove-scroll) writes an inline `<style>` without the page's CSP nonce,
 * which the CSP blocks and reports as a console error. The page behind may scroll; the focus
 * stays trapped in the dialog. (Once the app hands the nonce to `get-nonce`'s `setNonce`, the
 * lock can return.)
 */
import { Modal, type ModalProps } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export function Dialog(props: ModalProps) {
  const { t } = useTranslation('requirements');
  return (
    <Modal
      centered
      closeButtonProps={{ 'aria-label': t('actions.close') }}
      {...props}
      lockScroll={false}
    />
  );
}
