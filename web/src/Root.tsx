import { useMemo, useState } from 'react';
import { App as AntApp, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { BrowserRouter } from 'react-router';
import { QueryClientProvider, useQueryClient } from '@tanstack/react-query';
import { setRequestLanguage } from './api/client';
import { createQueryClient } from './api/queries';
import { LangContext, loadLang, saveLang, type Lang, type LangValue } from './i18n';
import { AuthProvider } from './auth';
import AppRoutes from './AppRoutes';

export default function Root() {
  const [queryClient] = useState(createQueryClient);
  return (
    <QueryClientProvider client={queryClient}>
      <Shell />
    </QueryClientProvider>
  );
}

function Shell() {
  const client = useQueryClient();
  const [lang, setLangState] = useState<Lang>(loadLang);
  setRequestLanguage(lang);
  const value = useMemo<LangValue>(
    () => ({
      lang,
      setLang: (l) => {
        saveLang(l);
        setRequestLanguage(l);
        setLangState(l);
        // The server answers in the reader's language (notifications): ask again.
        void client.invalidateQueries({ queryKey: ['notifications'] });
      },
      t: (zh, en) => (lang === 'en' ? en : zh),
    }),
    [lang, client],
  );
  dayjs.locale(lang === 'en' ? 'en' : 'zh-cn');
  if (typeof document !== 'undefined') document.documentElement.lang = lang === 'en' ? 'en' : 'zh-CN';

  return (
    <LangContext.Provider value={value}>
      <ConfigProvider locale={lang === 'en' ? enUS : zhCN} theme={{ token: { colorPrimary: '#c8102e', borderRadius: 4 } }}>
        <AntApp>
          <BrowserRouter>
            <AuthProvider>
              <AppRoutes />
            </AuthProvider>
          </BrowserRouter>
        </AntApp>
      </ConfigProvider>
    </LangContext.Provider>
  );
}
